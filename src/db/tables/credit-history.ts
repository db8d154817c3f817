export interface CreditHistoryTable {
  id: string;
  subject_id: string;
  at: string;
  score: number;
  grade: string;
  /** What changed it: "enrolled", "case:<id>", "event:<id>", "sanction:<id>", "appeal:<id>", "decay", "policy". */
  cause: string;
}

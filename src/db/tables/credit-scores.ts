export interface CreditScoresTable {
  subject_id: string;
  kind: string;
  score: number;
  grade: string;
  /** JSON: milli-points per dimension, decayed to as_of_day. */
  dimensions: string;
  /** The day (since 1970-01-01 UTC) the score was evaluated for. */
  as_of_day: number;
  updated_at: string;
}

export interface CreditContributionsTable {
  id: string;
  subject_id: string;
  cause_kind: 'case' | 'event' | 'sanction';
  cause_id: string;
  /** The case a contribution came from (its own or its sanction's), for overturned appeals. */
  case_id: string | null;
  /** A conduct category, or a sanction kind. */
  code: string;
  severity: number | null;
  day: number;
  occurred_at: string;
  status: 'active' | 'removed';
  /** When mdis recorded it (null before 2026-12-02T1400): an appeal's window runs from then. */
  recorded_at: string | null;
}

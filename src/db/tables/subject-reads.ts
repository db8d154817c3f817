/** One staff read of a subject's decrypted profile, as the subject is shown it. */
export interface SubjectReadsTable {
  id: string;
  subject_id: string;
  principal_id: string;
  /** The reader's role and organisation when it read (null: a principal of no organisation). */
  role: string;
  organisation: string | null;
  purpose: string;
  /** The `subject.read` log entry that records it. */
  log_index: number;
  at: string;
}

/** Eligibility checks of one subject by one service or platform, for one action, on one UTC day. */
export interface EligibilityCheckCountsTable {
  subject_id: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  principal_id: string;
  action: string;
  count: number;
}

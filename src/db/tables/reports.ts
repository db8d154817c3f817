export interface ReportsTable {
  id: string;
  case_id: string;
  /** The world of its case, so that a world's reports are listed by one index. */
  world_id: string;
  /** Keyed hash of the reporting avatar, so that a reporter counts once per case. */
  reporter_hash: string;
  /** Reporter, description and evidence, sealed under the reported subject's data key. */
  sealed: Buffer;
  occurred_at: string;
  received_at: string;
  received_by: string;
}

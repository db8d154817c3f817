export interface LedgerCheckpointsTable {
  size: number;
  root: Buffer;
  /** The C2SP signed note. */
  note: string;
  created_at: string;
}

export interface LedgerEntriesTable {
  /** Position in the log, from 0, without gaps. */
  idx: number;
  /** Canonical JSON (RFC 8785): ids, kinds, times, actor, salted digests; no personal data. */
  entry: string;
  /** SHA-256(0x00 ‖ entry). */
  leaf_hash: Buffer;
  created_at: string;
}

export interface SubjectsTable {
  /** The digital ID (see identity/digital-id.ts). */
  id: string;
  kind: string;
  /** Keyed hash of the normalised natural identifier; unique. */
  dedup_hash: string;
  /** The subject's data key, wrapped by the master key. */
  wrapped_key: Buffer;
  created_at: string;
  updated_at: string;
  created_by: string;
  /** When it was erased: its key and identifier are gone, its id answers 410 `erased`. */
  erased_at: string | null;
}

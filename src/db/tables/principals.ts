export interface PrincipalsTable {
  id: string;
  role: string;
  name: string;
  /** SHA-256 of the bearer token; the token itself is shown once and never stored. */
  token_hash: string;
  world_id: string | null;
  /** JSON array of action categories (service principals). */
  actions: string | null;
  jurisdiction: string | null;
  subject_id: string | null;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}

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
  /** The organisation a staff principal acts for (a registry office, a police force). */
  organisation: string | null;
  subject_id: string | null;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
}

/** A change to an overseeing principal, proposed by one admin and decided by another. */
export interface PrincipalProposalsTable {
  id: string;
  change: 'create' | 'revoke';
  /** The role created, or the role of the principal revoked. */
  role: string;
  /** The principal revoked; for a creation, the principal made once approved. */
  principal_id: string | null;
  /** A creation's input (JSON of NewPrincipal); null for a revocation. */
  input: string | null;
  /** `pending` until decided; a pending one past `expires_at` is expired (not written back). */
  status: 'pending' | 'approved' | 'refused';
  created_at: string;
  created_by: string;
  expires_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

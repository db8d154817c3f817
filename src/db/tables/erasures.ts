/** Why a subject is to be erased: its own request, or a registrar's closure. */
export type ErasureReason = 'request' | 'death' | 'duplicate';

/** A subject's erasure, scheduled per retention policy; the row stays once it is done. */
export interface ErasuresTable {
  subject_id: string;
  reason: ErasureReason;
  requested_at: string;
  /** The principal that asked: the subject's own, or the registrar's. */
  requested_by: string;
  /** Not erased before this (retention); later while something blocks it. */
  due_at: string;
  status: 'scheduled' | 'erased';
  /** What held it when it came due (open_case, active_sanction, preservation), logged once each. */
  blocked_by: string | null;
  erased_at: string | null;
}

/** An authority's order to keep a subject's data: erasure waits until it ends. */
export interface PreservationsTable {
  id: string;
  authority_id: string;
  subject_id: string;
  basis_kind: string;
  /** `{reference, issuedBy}`, sealed by the operator's key: it outlives the subject's erasure. */
  sealed_basis: Buffer;
  /** The conduct category it concerns: its disclosure gag tells when the person learns of it. */
  offence: string;
  created_at: string;
  ends_at: string;
  /** Set by its one extension. */
  extended_at: string | null;
  gag_until: string;
  /** When `preservation.lapsed` was logged for it. */
  lapse_logged_at: string | null;
}

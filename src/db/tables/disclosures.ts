export type DisclosureStatus = 'pending' | 'granted' | 'refused';

export interface DisclosuresTable {
  id: string;
  /** The authority principal that asked, and its jurisdiction then. */
  authority_id: string;
  jurisdiction: string;
  target_kind: 'avatar' | 'subject';
  /** `{world, handle}` or `{subject}`, as asked. */
  sealed_target: Buffer;
  /** The subject behind the target once known; null while the target names no one. */
  subject_id: string | null;
  /** Which key sealed the texts: the subject's (known when asked) or the operator's. */
  seal_key: 'subject' | 'operator';
  /** JSON array of attribute groups. */
  scope: string;
  basis_kind: string;
  /** `{reference, issuedBy}`. */
  sealed_basis: Buffer;
  basis_expires_at: string;
  offence: string;
  sealed_purpose: Buffer;
  status: DisclosureStatus;
  /** Emergency disclosures only: when oversight must have reviewed it. */
  review_due_at: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  /** The oversight's reason, for its decision or its review. */
  sealed_oversight_reason: Buffer | null;
  gag_until: string;
  created_at: string;
  /** When it was granted or refused, and by whom ("policy" when granted on request). */
  decided_at: string | null;
  decided_by: string | null;
  /** The case the request concerns; null where the policy lets its category go without one. */
  case_id: string | null;
  /** Emergency only: when `disclosure.review_overdue` was logged for it (once, past its deadline unreviewed). */
  overdue_logged_at: string | null;
}

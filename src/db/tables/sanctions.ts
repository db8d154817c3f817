export type SanctionStatus = 'active' | 'lifted' | 'expired';

export interface SanctionsTable {
  id: string;
  subject_id: string;
  kind: string;
  /** The world a mute or suspension holds in. */
  world_id: string | null;
  /** JSON array of the action categories a restriction denies. */
  actions: string | null;
  starts_at: string;
  ends_at: string | null;
  sealed_reason: Buffer;
  case_id: string | null;
  source: 'decision' | 'ladder' | 'manual';
  status: SanctionStatus;
  created_at: string;
  created_by: string;
  /** When it was lifted or found expired, and by whom ("system" for expiry). */
  ended_at: string | null;
  ended_by: string | null;
  sealed_lift_reason: Buffer | null;
}

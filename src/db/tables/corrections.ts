import type { CorrectionStatus } from '../../api/corrections.ts';

/** A person's proposed correction of one of its attributes, and the registrar's decision. */
export interface CorrectionsTable {
  id: string;
  subject_id: string;
  /** `group.key`, e.g. `social.email`: which field, never its value. */
  field: string;
  /** The version of the field's group the correction was proposed against. */
  base_version: number;
  status: CorrectionStatus;
  /** The proposed value (JSON; null removes the field), sealed under the subject's data key. */
  sealed_value: Buffer;
  sealed_reason: Buffer;
  created_at: string;
  /** The subject principal that proposed it. */
  created_by: string;
  sealed_refusal: Buffer | null;
  /** The attribute version an accepted correction added. */
  accepted_version: number | null;
  decided_at: string | null;
  decided_by: string | null;
}

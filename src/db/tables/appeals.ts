import type { AppealKind, AppealQueue, AppealStatus } from '../../api/appeals.ts';

export interface AppealsTable {
  id: string;
  kind: AppealKind;
  /** The case, sanction or disclosure appealed. */
  target_id: string;
  subject_id: string;
  queue: AppealQueue;
  status: AppealStatus;
  sealed_reason: Buffer;
  filed_at: string;
  filed_by: string;
  /** Who made the decision appealed: never the one who decides the appeal. */
  decision_by: string;
  sealed_rationale: Buffer | null;
  decided_at: string | null;
  decided_by: string | null;
}

export type CaseStatus = 'open' | 'decided' | 'appealed' | 'closed';

export interface CasesTable {
  id: string;
  world_id: string;
  handle: string;
  subject_id: string;
  category: string;
  status: CaseStatus;
  report_count: number;
  opened_at: string;
  updated_at: string;
  outcome: 'upheld' | 'dismissed' | null;
  severity: number | null;
  /** The moderator's rationale, sealed under the subject's data key. */
  sealed_rationale: Buffer | null;
  decided_at: string | null;
  decided_by: string | null;
  appeal_status: 'pending' | 'upheld' | 'overturned' | null;
  sealed_appeal: Buffer | null;
  appealed_at: string | null;
  sealed_appeal_rationale: Buffer | null;
  appeal_decided_at: string | null;
  appeal_decided_by: string | null;
  /** 1 when a platform's conduct event opened the case rather than a person's report. */
  automated: number;
}

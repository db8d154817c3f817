/** The shapes the console reads from the API (see /openapi.json for the full schemas). */

export type Role =
  | 'admin'
  | 'registrar'
  | 'platform'
  | 'service'
  | 'moderator'
  | 'authority'
  | 'oversight'
  | 'auditor'
  | 'subject';

export const roles: Role[] = [
  'admin',
  'registrar',
  'platform',
  'service',
  'moderator',
  'authority',
  'oversight',
  'auditor',
  'subject',
];

export interface Whoami {
  id: string;
  role: Role;
  name: string;
  world?: string;
  actions?: string[];
  jurisdiction?: string;
  subject?: string;
}

export interface Principal extends Whoami {
  createdAt: string;
  revokedAt?: string;
}

export type CaseStatus = 'open' | 'decided' | 'appealed' | 'closed';

export interface CaseSummary {
  id: string;
  world: string;
  handle: string;
  subject: string;
  category: string;
  status: CaseStatus;
  reportCount: number;
  openedAt: string;
  updatedAt: string;
  decision?: { outcome: string; severity?: number; decidedAt: string; decidedBy: string };
  appeal?: { status: string; appealedAt: string; decidedAt?: string };
  rationale?: string;
  appealReason?: string;
  appealRationale?: string;
}

export interface CaseDetail extends CaseSummary {
  reports: {
    id: string;
    reporter: string;
    description: string;
    evidence: { sha256: string; uri: string }[];
    occurredAt: string;
    receivedAt: string;
  }[];
}

export const sanctionKinds = ['warning', 'mute', 'suspension', 'ban', 'restriction'] as const;
export type SanctionKind = (typeof sanctionKinds)[number];

export interface Sanction {
  id: string;
  subject: string;
  kind: SanctionKind;
  world?: string;
  actions?: string[];
  startsAt: string;
  endsAt?: string;
  reason: string;
  caseId?: string;
  source: string;
  status: 'active' | 'lifted' | 'expired';
  createdAt: string;
  endedAt?: string;
  liftReason?: string;
}

export interface Contribution {
  id: string;
  cause: {
    kind: 'case' | 'event' | 'sanction';
    id: string;
    category?: string;
    sanction?: string;
    severity?: number;
  };
  caseId?: string;
  dimension: string;
  occurredAt: string;
  points: number;
  currentPoints: number;
  expiresOn?: string;
}

export interface CreditReport {
  subject: string;
  kind: string;
  score: number;
  grade: string;
  asOf: string;
  rank: number;
  percentile: number;
  of: number;
  dimensions: { name: string; description: string; points: number }[];
  explanation: {
    base: number;
    contributions: Contribution[];
    toRaise: {
      decaying: { id: string; dimension: string; currentPoints: number; expiresOn: string }[];
      positiveConduct: {
        category: string;
        description: string;
        dimension: string;
        pointsBySeverity: number[];
      }[];
    };
  };
  history: { at: string; score: number; grade: string; cause: string }[];
}

export interface MyRecord {
  subject: string;
  credit: CreditReport;
  cases: CaseSummary[];
  sanctions: Sanction[];
  strikes: {
    active: number;
    history: {
      id: string;
      caseId: string;
      strikes: number;
      severity: number;
      issuedAt: string;
      expiresAt: string;
      status: 'active' | 'lifted' | 'expired';
    }[];
  };
}

export interface Distribution {
  kind: string;
  total: number;
  grades: { grade: string; min: number; max: number; count: number }[];
  bands: { min: number; max: number; count: number }[];
}

export const attributeGroups = ['natural', 'social', 'signs'] as const;
export const legalBasisKinds = ['warrant', 'court_order', 'statute', 'emergency'] as const;

export interface DisclosureSummary {
  id: string;
  status: 'pending' | 'granted' | 'refused';
  authority: string;
  jurisdiction: string;
  emergency: boolean;
  legalBasis: { kind: string; expiresAt: string; reference?: string; issuedBy?: string };
  offence: string;
  scope: string[];
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reviewDueAt?: string;
  reviewedAt?: string;
  reviewedBy?: string;
  overdue: boolean;
  gagUntil: string;
  reads: number;
}

export interface DisclosureDetail extends DisclosureSummary {
  target?: { world?: string; handle?: string; subject?: string };
  purpose?: string;
  oversightReason?: string;
  identity?: {
    found: boolean;
    subject?: string;
    kind?: string;
    natural?: Record<string, unknown>;
    social?: Record<string, unknown>;
    signs?: Record<string, unknown>;
  };
}

export interface TransparencyReport {
  from: string;
  to: string;
  requests: number;
  byLegalBasis: Record<string, number>;
  byOutcome: { granted: number; refused: number; refused_by_policy: number; pending: number };
  byOffence: Record<string, number>;
  byJurisdiction: Record<string, number>;
  refusalReasons: Record<string, number>;
  emergency: { requests: number; reviewed: number; reviewedLate: number; overdue: number };
  reads: number;
  log: { size: number; root: string; checkpointAt: string } | null;
}

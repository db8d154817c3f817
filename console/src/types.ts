/**
 * The shapes the console reads from the API. Each is defined once, as the TypeBox schema the
 * server validates and documents with (src/api/), and imported here as a type only: nothing of
 * the server is bundled, and a change there that the console does not follow fails its typecheck.
 */

import type { AttributeGroup, CaseStatus, LegalBasisKind, SanctionKind } from '../../src/api/words.ts';
import type { Role } from '../../src/principals/roles.ts';

export type { Appeal } from '../../src/api/appeals.ts';
export type { SanctionHere, WorldAvatar } from '../../src/api/avatars.ts';
export type { CaseDetail, CaseSummary, DecisionPreview } from '../../src/api/cases.ts';
export type { Page } from '../../src/api/common.ts';
export type { CredentialOffer, MyCredential, MyCredentials } from '../../src/api/credentials.ts';
export type { Contribution, CreditReport, Distribution } from '../../src/api/credit.ts';
export type {
  DisclosureDetail,
  DisclosureNotice,
  DisclosureSummary,
  TransparencyReport,
} from '../../src/api/disclosures.ts';
export type { ExportBundle, SignedExport } from '../../src/api/export.ts';
export type { LockState } from '../../src/api/lock.ts';
export type { CheckCount, MyAccess, MyCase, MyRecord, MySanction, ProfileRead } from '../../src/api/me.ts';
export type { PolicyCategory, PolicyView } from '../../src/api/policy.ts';
export type {
  PrincipalName,
  PrincipalProposal,
  PrincipalRecord as Principal,
  Whoami,
} from '../../src/api/principals.ts';
export type { WorldReport } from '../../src/api/reports.ts';
export type { Sanction, Strike } from '../../src/api/sanctions.ts';
export type { SessionSummary } from '../../src/api/sessions.ts';
export type { AttributesChanged, AttributeVersion, SubjectProfile } from '../../src/api/subjects.ts';
export type { Delivery, Subscription } from '../../src/api/subscriptions.ts';
export type { AttributeGroup, CaseStatus, LegalBasisKind, Role, SanctionKind };

// The menus list every value of these unions. Written as a record, the compiler says when the
// server adds a value the console does not offer yet (the order is the menu's).
const every = <T extends string>(values: Record<T, true>): T[] => Object.keys(values) as T[];

export const roles = every<Role>({
  admin: true,
  registrar: true,
  platform: true,
  service: true,
  moderator: true,
  authority: true,
  oversight: true,
  auditor: true,
  subject: true,
});

export const sanctionKinds = every<SanctionKind>({
  warning: true,
  mute: true,
  suspension: true,
  ban: true,
  restriction: true,
});

export const attributeGroups = every<AttributeGroup>({ natural: true, social: true, signs: true });

export const legalBasisKinds = every<LegalBasisKind>({
  warrant: true,
  court_order: true,
  statute: true,
  emergency: true,
});
export type { CorrectionReview, CorrectionSummary, MyCorrection } from '../../src/api/corrections.ts';
export type { ErasureStatus, Preservation, PreservationNotice } from '../../src/api/rights.ts';

/**
 * The enumerations the API speaks, named once: the services, the policy, the route schemas and
 * the console (type-only) all take them from here. Roles are in principals/roles.ts.
 */

export const subjectKinds = ['person', 'organisation', 'agency'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

export const attributeGroups = ['natural', 'social', 'signs'] as const;
export type AttributeGroup = (typeof attributeGroups)[number];

export const caseStatuses = ['open', 'decided', 'appealed', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const sanctionKinds = ['warning', 'mute', 'suspension', 'ban', 'restriction'] as const;
export type SanctionKind = (typeof sanctionKinds)[number];

export const sanctionStatuses = ['active', 'lifted', 'expired'] as const;
export type SanctionStatus = (typeof sanctionStatuses)[number];

/** Expired: past its end without being lifted; it no longer counts. */
export const strikeStatuses = ['active', 'lifted', 'expired'] as const;
export type StrikeStatus = (typeof strikeStatuses)[number];

/** What an authority may cite for a disclosure; `emergency` is granted first and reviewed after. */
export const legalBasisKinds = ['warrant', 'court_order', 'statute', 'emergency'] as const;
export type LegalBasisKind = (typeof legalBasisKinds)[number];

export const disclosureStatuses = ['pending', 'granted', 'refused'] as const;
export type DisclosureStatus = (typeof disclosureStatuses)[number];

import Type, { type Static } from 'typebox';
import { Appeal } from './appeals.ts';
import { CaseSummary } from './cases.ts';
import { CreditReport } from './credit.ts';
import { DisclosureNotice } from './disclosures.ts';
import { LockState } from './lock.ts';
import { PreservationNotice } from './rights.ts';
import { Sanction, Strike } from './sanctions.ts';

/** A report as the subject sees it: what, when and the evidence; never who reported it. */
export const ReportAgainstMe = Type.Object({
  category: Type.String(),
  description: Type.String(),
  evidence: Type.Array(Type.Object({ sha256: Type.String(), uri: Type.String() })),
  occurredAt: Type.String(),
  receivedAt: Type.String(),
});
export type ReportAgainstMe = Static<typeof ReportAgainstMe>;

/** A case about the subject: its reports, the decision's rationale, and until when it may be appealed. */
export const MyCase = Type.Object({
  ...CaseSummary.properties,
  reports: Type.Array(ReportAgainstMe),
  appealDeadline: Type.Optional(
    Type.String({ description: 'an upheld decision not yet appealed: the last moment to appeal it' }),
  ),
});
export type MyCase = Static<typeof MyCase>;

/** A sanction about the subject, with its appeal deadline when it was imposed directly. */
export const MySanction = Type.Object({
  ...Sanction.properties,
  appealDeadline: Type.Optional(Type.String()),
});
export type MySanction = Static<typeof MySanction>;

/** A subject's own record: cases about it and their decisions, sanctions, strikes, its credit. */
export const MyRecord = Type.Object({
  subject: Type.String(),
  credit: CreditReport,
  cases: Type.Array(MyCase),
  sanctions: Type.Array(MySanction),
  appeals: Type.Array(Appeal),
  strikes: Type.Object({
    active: Type.Integer(),
    history: Type.Array(Strike),
  }),
  locked: LockState.properties.locked,
  preservations: Type.Array(PreservationNotice, {
    description: 'authorities’ orders to preserve your data, once their gag has ended',
  }),
});
export type MyRecord = Static<typeof MyRecord>;

/** A staff read of the subject's decrypted profile: by whom (role, organisation), when and why. */
export const ProfileRead = Type.Object({
  id: Type.String(),
  at: Type.String(),
  role: Type.String({ description: 'of the reader: registrar or admin' }),
  organisation: Type.Union([Type.String(), Type.Null()], {
    description: 'the reader’s organisation; null for a principal of none',
  }),
  principal: Type.String({ description: 'the reader’s principal id, as the log names it (never its name)' }),
  purpose: Type.String({ description: 'one of the policy’s access.readPurposes' }),
  logIndex: Type.Integer({ description: 'the subject.read entry of the transparency log that records it' }),
});
export type ProfileRead = Static<typeof ProfileRead>;

/** How many times one service or platform checked one action for the subject on one UTC day. */
export const CheckCount = Type.Object({
  day: Type.String({ description: 'YYYY-MM-DD, UTC' }),
  checker: Type.Object({
    id: Type.String(),
    role: Type.String({ description: 'service or platform' }),
    name: Type.String({ description: 'the service or world operator as registered' }),
  }),
  action: Type.String(),
  count: Type.Integer(),
});
export type CheckCount = Static<typeof CheckCount>;

const pageOf = <T extends Type.TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), cursor: Type.Optional(Type.String()) });

/**
 * Who looked at the subject's data: staff reads of its profile, eligibility checks counted per
 * checker, action and day, and disclosures whose gag has ended; each newest first, paged apart.
 */
export const MyAccess = Type.Object({
  reads: Type.Optional(pageOf(ProfileRead)),
  checks: Type.Optional(pageOf(CheckCount)),
  disclosures: Type.Optional(pageOf(DisclosureNotice)),
});
export type MyAccess = Static<typeof MyAccess>;

/** The lists of GET /v1/me/access, each paged on its own (`?list=reads&cursor=`). */
export const accessLists = ['reads', 'checks', 'disclosures'] as const;
export type AccessList = (typeof accessLists)[number];

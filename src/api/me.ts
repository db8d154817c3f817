import Type, { type Static } from 'typebox';
import { Appeal } from './appeals.ts';
import { CaseSummary } from './cases.ts';
import { CreditReport } from './credit.ts';
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
});
export type MyRecord = Static<typeof MyRecord>;

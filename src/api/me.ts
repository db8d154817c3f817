import Type, { type Static } from 'typebox';
import { CaseSummary } from './cases.ts';
import { CreditReport } from './credit.ts';
import { Sanction, Strike } from './sanctions.ts';

/** A subject's own record: cases about it and their decisions, sanctions, strikes, its credit. */
export const MyRecord = Type.Object({
  subject: Type.String(),
  credit: CreditReport,
  cases: Type.Array(CaseSummary),
  sanctions: Type.Array(Sanction),
  strikes: Type.Object({
    active: Type.Integer(),
    history: Type.Array(Strike),
  }),
});
export type MyRecord = Static<typeof MyRecord>;

import Type, { type Static } from 'typebox';
import { StringEnum } from '../util/string-enum.ts';
import { caseStatuses } from './words.ts';

/** A case as the queue and the subject's record show it. */
export const CaseSummary = Type.Object({
  id: Type.String(),
  world: Type.String(),
  handle: Type.String(),
  subject: Type.String(),
  category: Type.String(),
  status: StringEnum(caseStatuses),
  reportCount: Type.Integer(),
  automated: Type.Boolean({ description: 'opened by a platform’s conduct event, not a person’s report' }),
  openedAt: Type.String(),
  updatedAt: Type.String(),
  decision: Type.Optional(
    Type.Object({
      outcome: StringEnum(['upheld', 'dismissed']),
      severity: Type.Optional(Type.Integer()),
      decidedAt: Type.String(),
      decidedBy: Type.String(),
    }),
  ),
  appeal: Type.Optional(
    Type.Object({
      status: StringEnum(['pending', 'upheld', 'overturned']),
      appealedAt: Type.String(),
      decidedAt: Type.Optional(Type.String()),
      decidedBy: Type.Optional(
        Type.String({ description: 'who heard the appeal: never `decision.decidedBy`' }),
      ),
    }),
  ),
  rationale: Type.Optional(Type.String()),
  appealReason: Type.Optional(Type.String()),
  appealRationale: Type.Optional(Type.String()),
});
export type CaseSummary = Static<typeof CaseSummary>;

/** One report of a case, with its evidence (hashes and where the evidence is kept). */
export const CaseReport = Type.Object({
  id: Type.String(),
  reporter: Type.String(),
  description: Type.String(),
  evidence: Type.Array(Type.Object({ sha256: Type.String(), uri: Type.String() })),
  occurredAt: Type.String(),
  receivedAt: Type.String(),
});
export type CaseReport = Static<typeof CaseReport>;

/** A case with its reports, for moderators. */
export const CaseDetail = Type.Object({
  ...CaseSummary.properties,
  reports: Type.Array(CaseReport),
});
export type CaseDetail = Static<typeof CaseDetail>;

/** What an upheld decision of a case at a severity would do, before it is recorded. */
export const DecisionPreview = Type.Object({
  category: Type.String(),
  severity: Type.Object(
    { min: Type.Integer(), max: Type.Integer() },
    { description: 'the severities the case’s category allows' },
  ),
  effects: Type.Optional(
    Type.Object({
      severity: Type.Integer(),
      strikes: Type.Integer({ description: 'strikes the decision adds' }),
      activeStrikes: Type.Object({ before: Type.Integer(), after: Type.Integer() }),
      ladderSanction: Type.Optional(
        Type.Object({ kind: Type.String(), days: Type.Optional(Type.Integer()), points: Type.Integer() }),
      ),
      points: Type.Integer({ description: 'the category’s points at this severity, before decay' }),
    }),
  ),
});
export type DecisionPreview = Static<typeof DecisionPreview>;

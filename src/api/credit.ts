import Type, { type Static } from 'typebox';
import { StringEnum } from '../util/string-enum.ts';

/** One cause of a subject's score: a decided case, a conduct event or a sanction. */
export const Contribution = Type.Object({
  id: Type.String(),
  cause: Type.Object({
    kind: StringEnum(['case', 'event', 'sanction']),
    id: Type.String(),
    category: Type.Optional(Type.String()),
    sanction: Type.Optional(Type.String()),
    severity: Type.Optional(Type.Integer()),
  }),
  caseId: Type.Optional(Type.String()),
  dimension: Type.String(),
  occurredAt: Type.String(),
  points: Type.Number({ description: 'when it happened' }),
  currentPoints: Type.Number({ description: 'what is left of them today' }),
  expiresOn: Type.Optional(
    Type.String({
      description: "the day it stops counting (its decayed weight falls below the policy's threshold)",
    }),
  ),
  recordedAt: Type.Optional(Type.String({ description: 'when mdis recorded it' })),
  appealDeadline: Type.Optional(
    Type.String({
      description:
        'in your own record only: until when you may appeal it (POST /v1/appeals, kind contribution), for points counted against you without a decision',
    }),
  ),
});
export type Contribution = Static<typeof Contribution>;

/** One change of a subject's score: when, to what, and its cause (`case:<id>`, `decay`, ...). */
export const ScoreChange = Type.Object({
  at: Type.String(),
  score: Type.Integer(),
  grade: Type.String(),
  cause: Type.String(),
});
export type ScoreChange = Static<typeof ScoreChange>;

/** A subject's score with its rank, dimensions, every contribution and what would raise it. */
export const CreditReport = Type.Object({
  subject: Type.String(),
  kind: Type.String(),
  score: Type.Integer(),
  grade: Type.String(),
  asOf: Type.String({ description: 'the day the score was evaluated for' }),
  rank: Type.Integer({ description: 'among subjects of the same kind; ties share a rank' }),
  percentile: Type.Number({ description: 'share of the same kind scoring lower, ties counted half' }),
  of: Type.Integer(),
  dimensions: Type.Array(
    Type.Object({ name: Type.String(), description: Type.String(), points: Type.Number() }),
  ),
  explanation: Type.Object({
    base: Type.Integer(),
    contributions: Type.Array(Contribution),
    toRaise: Type.Object({
      decaying: Type.Array(
        Type.Object(
          {
            id: Type.String(),
            dimension: Type.String(),
            currentPoints: Type.Number(),
            expiresOn: Type.String(),
          },
          { description: 'negative contributions, soonest to stop counting first' },
        ),
      ),
      positiveConduct: Type.Array(
        Type.Object({
          category: Type.String(),
          description: Type.String(),
          dimension: Type.String(),
          pointsBySeverity: Type.Array(Type.Number()),
        }),
      ),
    }),
  }),
  history: Type.Array(ScoreChange, { description: 'newest first: the latest 200 (every one in an export)' }),
});
export type CreditReport = Static<typeof CreditReport>;

/** A place in the ranking of one kind of subject. */
export const RankingEntry = Type.Object({
  subject: Type.String(),
  score: Type.Integer(),
  grade: Type.String(),
  rank: Type.Integer(),
});
export type RankingEntry = Static<typeof RankingEntry>;

/** How many subjects in each grade and each score band. */
export const Distribution = Type.Object({
  kind: Type.String(),
  total: Type.Integer(),
  grades: Type.Array(
    Type.Object({
      grade: Type.String(),
      min: Type.Integer(),
      max: Type.Integer(),
      count: Type.Integer(),
    }),
  ),
  bands: Type.Array(Type.Object({ min: Type.Integer(), max: Type.Integer(), count: Type.Integer() }), {
    description: 'every score band of the policy, floor to ceiling, the empty ones with a count of 0',
  }),
});
export type Distribution = Static<typeof Distribution>;

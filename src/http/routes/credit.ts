import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { ForbiddenError } from '../../errors.ts';
import { subjectKinds } from '../../identity/attributes.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, PageQuery, responses } from '../schemas.ts';

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
    contributions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    toRaise: Type.Object({
      decaying: Type.Array(Type.Record(Type.String(), Type.Unknown())),
      positiveConduct: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    }),
  }),
  history: Type.Array(
    Type.Object({ at: Type.String(), score: Type.Integer(), grade: Type.String(), cause: Type.String() }),
  ),
});

const readers = ['admin', 'moderator', 'subject'] as const;
const staff = ['admin', 'moderator'] as const;

export function creditRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/subjects/:id/credit',
    {
      config: { roles: readers },
      schema: {
        tags: ['credit'],
        summary: 'Score, grade, rank, percentile, dimensions, every contribution and what would raise it',
        params: Type.Object({ id: DigitalIdParam }),
        response: responses({ 200: CreditReport }),
      },
    },
    async (request) => {
      const principal = caller(request);
      const subject = parseDigitalId(request.params.id);
      if (principal.role === 'subject' && principal.subject !== subject) {
        throw new ForbiddenError('a subject may read only its own credit');
      }
      return ctx.creditReader.read(subject);
    },
  );

  app.get(
    '/v1/credit/ranking',
    {
      config: { roles: staff },
      schema: {
        tags: ['credit'],
        summary: 'Subjects of one kind, highest score first',
        querystring: Type.Object(
          { kind: Type.Optional(StringEnum(subjectKinds)), ...PageQuery },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                subject: Type.String(),
                score: Type.Integer(),
                grade: Type.String(),
                rank: Type.Integer(),
              }),
            ),
            cursor: Type.Optional(Type.String()),
          }),
        }),
      },
    },
    async (request) =>
      ctx.creditReader.ranking({
        kind: request.query.kind ?? 'person',
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      }),
  );

  app.get(
    '/v1/credit/distribution',
    {
      config: { roles: staff },
      schema: {
        tags: ['credit'],
        summary: 'How many subjects in each grade and each score band',
        querystring: Type.Object(
          { kind: Type.Optional(StringEnum(subjectKinds)) },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({
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
            bands: Type.Array(
              Type.Object({ min: Type.Integer(), max: Type.Integer(), count: Type.Integer() }),
            ),
          }),
        }),
      },
    },
    async (request) => ctx.creditReader.distribution(request.query.kind),
  );
}

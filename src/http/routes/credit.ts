import Type from 'typebox';
import { CreditReport, Distribution, RankingEntry } from '../../api/credit.ts';
import type { AppContext } from '../../context.ts';
import { ForbiddenError } from '../../errors.ts';
import { subjectKinds } from '../../identity/attributes.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, PageQuery, responses } from '../schemas.ts';

const readers = ['admin', 'moderator', 'subject'] as const;
const staff = ['admin', 'moderator'] as const;

export function creditRoutes(app: Api, ctx: AppContext): void {
  readCredit(app, ctx);
  creditRanking(app, ctx);
  creditDistribution(app, ctx);
}

function readCredit(app: Api, ctx: AppContext): void {
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
}

function creditRanking(app: Api, ctx: AppContext): void {
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
          200: Type.Object({ items: Type.Array(RankingEntry), cursor: Type.Optional(Type.String()) }),
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
}

function creditDistribution(app: Api, ctx: AppContext): void {
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
          200: Distribution,
        }),
      },
    },
    async (request) => ctx.creditReader.distribution(request.query.kind),
  );
}

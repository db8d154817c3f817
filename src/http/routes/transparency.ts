import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { responses } from '../schemas.ts';

const counts = Type.Record(Type.String(), Type.Integer());

export const TransparencyReportBody = Type.Object({
  from: Type.String(),
  to: Type.String(),
  requests: Type.Integer({ description: 'made in [from, to), refused by policy or not' }),
  byLegalBasis: counts,
  byOutcome: Type.Object({
    granted: Type.Integer(),
    refused: Type.Integer(),
    refused_by_policy: Type.Integer(),
    pending: Type.Integer(),
  }),
  byOffence: counts,
  byJurisdiction: counts,
  refusalReasons: counts,
  emergency: Type.Object({
    requests: Type.Integer(),
    reviewed: Type.Integer(),
    reviewedLate: Type.Integer(),
    overdue: Type.Integer(),
  }),
  reads: Type.Integer(),
  log: Type.Union([
    Type.Object({ size: Type.Integer(), root: Type.String(), checkpointAt: Type.String() }),
    Type.Null(),
  ]),
});

export function transparencyRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/transparency/report',
    {
      schema: {
        tags: ['access'],
        summary: 'Counts of disclosure requests in a period, with the log’s size and root at its end',
        description:
          'Public. `from` and `to` are dates or date-times; `to` defaults to now, `from` to a year before `to`. Outcomes are as they stand now.',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 40 })),
            to: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: TransparencyReportBody }),
      },
    },
    async (request) => ctx.transparency.report(request.query),
  );
}

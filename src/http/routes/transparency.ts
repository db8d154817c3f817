import Type from 'typebox';
import { TransparencyReport } from '../../api/disclosures.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { responses } from '../schemas.ts';

export function transparencyRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/transparency/report',
    {
      schema: {
        tags: ['access'],
        summary:
          'Counts of every act of power in a period (disclosures, staff reads, break-glass acts, principal changes), with the log’s size and root at its end',
        description:
          'Public (no token), rate limited per client address like every public route. `from` and `to` are dates or date-times; `to` defaults to now, `from` to a year before `to`. Outcomes are as they stand now. A report is served from a cache until the log grows or for at most 5 seconds.',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ maxLength: 40 })),
            to: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: TransparencyReport }),
      },
    },
    async (request) => ctx.transparency.report(request.query),
  );
}

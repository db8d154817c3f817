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
        response: responses({ 200: TransparencyReport }),
      },
    },
    async (request) => ctx.transparency.report(request.query),
  );
}

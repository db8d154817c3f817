import { FiledReport, NewReport } from '../../api/reports.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { assertWorldScope, caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const platform = ['platform'] as const;

export function reportRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/reports',
    {
      config: { roles: platform },
      schema: {
        tags: ['conduct'],
        summary:
          'Report an avatar of this world; reports of one avatar and category gather into one open case',
        body: NewReport,
        response: responses({
          202: FiledReport,
        }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      assertWorldScope(principal, request.body.world);
      return reply.status(202).send(await ctx.reports.file(request.body, principal.id));
    },
  );
}

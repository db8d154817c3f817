import Type from 'typebox';
import { FiledReport, NewReport, WorldReport } from '../../api/reports.ts';
import type { AppContext } from '../../context.ts';
import { worldIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { assertWorldScope, caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const platform = ['platform'] as const;
const readers = ['platform', 'admin'] as const;

export function reportRoutes(app: Api, ctx: AppContext): void {
  fileReport(app, ctx);
  listWorldReports(app, ctx);
}

function fileReport(app: Api, ctx: AppContext): void {
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

function listWorldReports(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/worlds/:world/reports',
    {
      config: { roles: readers },
      schema: {
        tags: ['conduct'],
        summary:
          'The reports filed for this world (its conduct events’ included), newest first, each with its case’s status and outcome; never their descriptions or reporters',
        params: Type.Object({ world: Type.String({ pattern: worldIdPattern }) }),
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(WorldReport), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const { world } = request.params;
      assertWorldScope(caller(request), world);
      await ctx.worlds.get(world);
      const { cursor, limit } = request.query;
      return ctx.worldReports.page(world, { cursor, limit: limit ?? 50 });
    },
  );
}

import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { responses } from '../schemas.ts';

export function systemRoutes(app: Api, ctx: AppContext, metrics: Registry): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process answers and its store responds',
        response: responses({ 200: Type.Object({ status: Type.Literal('ok'), store: Type.String() }) }),
      },
    },
    async () => {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok' as const, store: ctx.store.engine };
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['system'], summary: 'Prometheus metrics' } },
    async (_request, reply) => {
      reply.type(metrics.contentType);
      return metrics.metrics();
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

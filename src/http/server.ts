import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from '../context.ts';
import { bodyAjv, textAjv } from '../util/validation.ts';
import { documentRoles, typed } from './api.ts';
import { installAuth } from './auth.ts';
import { installErrorHandling } from './error-handler.ts';
import { installMetrics } from './metrics.ts';
import { RateLimiter } from './rate-limit.ts';
import { appealRoutes } from './routes/appeals.ts';
import { avatarRoutes } from './routes/avatars.ts';
import { caseRoutes } from './routes/cases.ts';
import { consoleRoutes } from './routes/console.ts';
import { creditRoutes } from './routes/credit.ts';
import { disclosureRoutes } from './routes/disclosures.ts';
import { eligibilityRoutes } from './routes/eligibility.ts';
import { eventRoutes } from './routes/events.ts';
import { logRoutes } from './routes/log.ts';
import { meRoutes } from './routes/me.ts';
import { principalRoutes } from './routes/principals.ts';
import { reportRoutes } from './routes/reports.ts';
import { sanctionRoutes } from './routes/sanctions.ts';
import { subjectRoutes } from './routes/subjects.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { systemRoutes } from './routes/system.ts';
import { transparencyRoutes } from './routes/transparency.ts';
import { whoamiRoutes } from './routes/whoami.ts';
import { worldRoutes } from './routes/worlds.ts';
import { batchItemsRelaxed, ErrorBody } from './schemas.ts';

export interface ServerOptions {
  /** Process-wide metrics (event loop, memory) belong to a real server, not to tests. */
  processMetrics?: boolean;
}

/** Builds the HTTP API over a context; the caller listens and closes. */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Log the route template, never the raw URL: it may name a subject or an avatar.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  // The API speaks JSON only: anything else is 415, not a body that fails validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(batchItemsRelaxed(schema) as object) : textAjv.compile(schema),
  );
  app.addSchema(ErrorBody);
  installErrorHandling(app);
  installAuth(app, ctx.principals, new RateLimiter(ctx.config.rateLimit));
  const metrics = installMetrics(app, {
    processMetrics: options.processMetrics ?? false,
    gauges: [
      {
        name: 'mdis_disclosure_reviews_overdue',
        help: 'Emergency disclosures past their review deadline that oversight has not reviewed',
        read: () => ctx.disclosures.overdueCount(),
      },
    ],
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        principal: request.principal?.id,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  // Before the OpenAPI plugin's own hook, so that it documents what this one adds.
  app.addHook('onRoute', documentRoles);
  await app.register(swagger, {
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'mdis',
        version: '1',
        description:
          'Digital identity for the users of virtual worlds, with lawful access under a verifiable log.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { url: '/openapi.json' } });

  const api = typed(app);
  systemRoutes(api, ctx, metrics);
  principalRoutes(api, ctx);
  worldRoutes(api, ctx);
  subjectRoutes(api, ctx);
  avatarRoutes(api, ctx);
  reportRoutes(api, ctx);
  eventRoutes(api, ctx);
  caseRoutes(api, ctx);
  appealRoutes(api, ctx);
  sanctionRoutes(api, ctx);
  subscriptionRoutes(api, ctx);
  eligibilityRoutes(api, ctx);
  creditRoutes(api, ctx);
  meRoutes(api, ctx);
  disclosureRoutes(api, ctx);
  transparencyRoutes(api, ctx);
  logRoutes(api, ctx);
  whoamiRoutes(api);
  await app.register(consoleRoutes);
  return app;
}

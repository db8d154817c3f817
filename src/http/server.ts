import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Registry } from 'prom-client';
import type { AppContext } from '../context.ts';
import { bodyAjv, textAjv, textOnly } from '../util/validation.ts';
import { installAccessLog } from './access-log.ts';
import { type Api, documentRoles, typed } from './api.ts';
import { installAuth } from './auth.ts';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './error-handler.ts';
import { installMetrics } from './metrics.ts';
import { RateLimiter } from './rate-limit.ts';
import { appealRoutes } from './routes/appeals.ts';
import { avatarRoutes } from './routes/avatars.ts';
import { bindingRoutes } from './routes/bindings.ts';
import { caseRoutes } from './routes/cases.ts';
import { consoleRoutes } from './routes/console.ts';
import { correctionRoutes } from './routes/corrections.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { creditRoutes } from './routes/credit.ts';
import { disclosureRoutes } from './routes/disclosures.ts';
import { eligibilityRoutes } from './routes/eligibility.ts';
import { erasureRoutes } from './routes/erasure.ts';
import { eventRoutes } from './routes/events.ts';
import { exportRoutes } from './routes/export.ts';
import { jwksRoutes } from './routes/jwks.ts';
import { lockRoutes } from './routes/lock.ts';
import { logRoutes } from './routes/log.ts';
import { logOpeningRoutes } from './routes/log-openings.ts';
import { meRoutes } from './routes/me.ts';
import { myProfileRoutes } from './routes/my-profile.ts';
import { oidcProviderRoutes } from './routes/oidc.ts';
import { oidcClientRoutes } from './routes/oidc-clients.ts';
import { oidcInteractionRoutes } from './routes/oidc-interactions.ts';
import { passkeyRoutes } from './routes/passkeys.ts';
import { policyRoutes } from './routes/policy.ts';
import { preservationRoutes } from './routes/preservations.ts';
import { principalProposalRoutes } from './routes/principal-proposals.ts';
import { principalRoutes } from './routes/principals.ts';
import { pseudonymRoutes } from './routes/pseudonyms.ts';
import { reportRoutes } from './routes/reports.ts';
import { sanctionRoutes } from './routes/sanctions.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { signInRoutes } from './routes/sign-in.ts';
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
  /** Milliseconds for the rate limits' buckets; tests give their own instead of racing the clock. */
  clock?: () => number;
  /** How often the access log's summary line is written (default a minute). */
  accessSummaryMs?: number;
}

/** Builds the HTTP API over a context; the caller listens and closes. */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = createApp(ctx, options);
  const metrics = installMetrics(app, {
    processMetrics: options.processMetrics ?? false,
    gauges: [
      {
        name: 'mdis_disclosure_reviews_overdue',
        help: 'Emergency disclosures past their review deadline that oversight has not reviewed',
        read: () => ctx.disclosures.overdueCount(),
      },
      {
        name: 'mdis_checkpoint_cosignatures_missing',
        help: 'Witnesses configured (MDIS_WITNESSES) whose cosignature the latest checkpoint lacks',
        read: () => ctx.ledger.missingCosignatures(),
      },
    ],
  });
  installHeaders(app);
  installAccessLog(app, ctx.config.accessLog, { summaryMs: options.accessSummaryMs });
  await registerDocs(app);
  registerRoutes(typed(app), ctx, metrics);
  await app.register(oidcProviderRoutes, { ctx });
  await app.register(consoleRoutes);
  return app;
}

/** Fastify with our validators, error shape, authentication and rate limits. */
function createApp(ctx: AppContext, options: ServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    // Log the route template, never the raw URL: it may name a subject or an avatar.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    frameworkErrors,
    clientErrorHandler,
  });
  // The API speaks JSON only: anything else is 415, not a body that fails validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body'
      ? bodyAjv.compile(textOnly(batchItemsRelaxed(schema)) as object)
      : textAjv.compile(textOnly(schema) as object),
  );
  app.addSchema(ErrorBody);
  installErrorHandling(app);
  installAuth(
    app,
    ctx.principals,
    {
      principals: new RateLimiter(ctx.config.rateLimit),
      publicRoutes: new RateLimiter(ctx.config.publicRateLimit),
      failures: new RateLimiter(ctx.config.authFailureLimit),
      clock: options.clock ?? Date.now,
    },
    ctx.sessions,
  );
  return app;
}

function installHeaders(app: FastifyInstance): void {
  // API answers are per caller and JSON only: no cache may keep them, no browser may sniff them.
  // A public answer meant for caches (a credential status list) says so itself.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/v1/') || request.url === '/v1') {
      if (!reply.hasHeader('cache-control') || reply.statusCode >= 400)
        reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
    } else if (request.url.startsWith('/docs')) {
      reply.header('x-content-type-options', 'nosniff');
    }
  });
}

/** The OpenAPI document and its reference pages at /docs. */
async function registerDocs(app: FastifyInstance): Promise<void> {
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
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { url: '/openapi.json' },
    // As the console's: its own files only (Swagger UI sets element styles from its script).
    staticCSP:
      "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  });
}

function registerRoutes(api: Api, ctx: AppContext, metrics: Registry): void {
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
  policyRoutes(api, ctx);
  logRoutes(api, ctx);
  whoamiRoutes(api);
  signInRoutes(api, ctx);
  sessionRoutes(api, ctx);
  passkeyRoutes(api, ctx);
  oidcClientRoutes(api, ctx);
  bindingRoutes(api, ctx);
  oidcInteractionRoutes(api, ctx);
  principalProposalRoutes(api, ctx);
  erasureRoutes(api, ctx);
  preservationRoutes(api, ctx);
  logOpeningRoutes(api, ctx);
  lockRoutes(api, ctx);
  myProfileRoutes(api, ctx);
  correctionRoutes(api, ctx);
  credentialRoutes(api, ctx);
  exportRoutes(api, ctx);
  jwksRoutes(api, ctx);
  pseudonymRoutes(api, ctx);
}

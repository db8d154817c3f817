import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessLogConfig } from '../config.ts';

interface Tally {
  requests: number;
  byStatus: Record<string, number>;
  slow: number;
  maxMs: number;
}

const empty = (): Tally => ({ requests: 0, byStatus: {}, slow: 0, maxMs: 0 });

/**
 * The request log, as loud as the operator chose (MDIS_ACCESS_LOG): server errors and slow
 * requests only, those and a sample, or every request; and, whatever the mode, one summary line
 * per period with the counts by status, so that a flood (of 401s, say) is one line a minute, not
 * one a request. Lines name the route template, never the raw URL: it may name a subject.
 */
export function installAccessLog(
  app: FastifyInstance,
  config: AccessLogConfig,
  options: { summaryMs?: number } = {},
): void {
  let tally = empty();
  let seen = 0;
  const logged = (status: number, ms: number) => {
    if (status >= 500 || ms >= config.slowMs || config.mode === 'all') return true;
    return config.mode === 'sample' && seen % config.sampleEvery === 0;
  };
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    seen++;
    tally.requests++;
    const statusClass = `${Math.floor(status / 100)}xx`;
    tally.byStatus[statusClass] = (tally.byStatus[statusClass] ?? 0) + 1;
    if (status === 401 || status === 429) tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
    if (ms >= config.slowMs) tally.slow++;
    tally.maxMs = Math.max(tally.maxMs, ms);
    if (!logged(status, ms)) return;
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status,
        principal: request.principal?.id,
        ms,
        ...(ms >= config.slowMs ? { slow: true } : {}),
      },
      'request',
    );
  });
  const summaryMs = options.summaryMs ?? 60_000;
  const timer = setInterval(() => {
    if (tally.requests === 0) return;
    const { requests, byStatus, slow, maxMs } = tally;
    tally = empty();
    app.log.info({ requests, byStatus, slow, maxMs, periodMs: summaryMs }, 'requests summary');
  }, summaryMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

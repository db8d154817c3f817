import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** A gauge read from the store when scraped: the read must be cheap (an indexed count). */
export interface StoreGauge {
  name: string;
  help: string;
  read: () => Promise<number>;
}

/** One registry per server, so that several servers in one process (tests) do not collide. */
export function installMetrics(
  app: FastifyInstance,
  options: { processMetrics: boolean; gauges?: StoreGauge[] },
): Registry {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  for (const gauge of options.gauges ?? []) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      registers: [registry],
      async collect() {
        this.set(await gauge.read());
      },
    });
  }
  const duration = new Histogram({
    name: 'mdis_http_request_duration_seconds',
    help: 'HTTP requests by route template (never the raw URL, which may name a subject), method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  return registry;
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../src/db/transaction.ts';
import { buildServer } from '../src/http/server.ts';
import { forEachStore } from './_util.ts';

// Floods through the public interface: public routes limited per client address, failed
// authentications limited per address and kept out of the store, and a request log as loud as the
// operator chose. The buckets run on a clock the tests move, so nothing races the real one.

let clockMs = 0;
const clock = () => clockMs;

async function get(
  app: FastifyInstance,
  url: string,
  options: { from?: string; token?: string } = {},
): Promise<{ status: number; body: { error?: string }; headers: Record<string, unknown> }> {
  const response = await app.inject({
    method: 'GET',
    url,
    remoteAddress: options.from ?? '192.0.2.1',
    headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
  });
  const json = String(response.headers['content-type']).startsWith('application/json');
  return { status: response.statusCode, body: json ? response.json() : {}, headers: response.headers };
}

const madeUp = () => `mdis_${randomBytes(32).toString('base64url')}`;

forEachStore(
  'floods',
  (h) => {
    let admin: string;
    before(async () => {
      admin = await h.token({ role: 'admin' });
    });

    test('public routes are limited per client address; others and signed-in callers go on', async () => {
      clockMs = 0;
      const from = '192.0.2.10';
      const publicUrls = ['/v1/log/key', '/v1/log/checkpoint', '/healthz', '/v1/transparency/report'];
      for (const url of [...publicUrls, '/v1/log/key'])
        assert.equal((await get(h.app, url, { from })).status, 200);
      for (const url of [...publicUrls, '/openapi.json', '/docs/', '/no-such-file.js']) {
        const refused = await get(h.app, url, { from });
        assert.equal(refused.status, 429, url);
        assert.equal(refused.body.error, 'rate_limited', url);
        assert.equal(refused.headers['retry-after'], '1', url);
      }
      assert.equal((await get(h.app, '/v1/log/key', { from: '192.0.2.11' })).status, 200, 'another address');
      assert.equal((await get(h.app, '/v1/principals', { from, token: admin })).status, 200, 'with a token');
      clockMs += 1000;
      assert.equal((await get(h.app, '/v1/log/key', { from })).status, 200, 'a second later, one more');
      assert.equal((await get(h.app, '/v1/log/key', { from })).status, 429);
    });

    test('the transparency report follows new log entries at once', async () => {
      clockMs += 10_000;
      const from = '192.0.2.20';
      const url = '/v1/transparency/report?from=2000-01-01';
      const before = (await get(h.app, url, { from })).body as { requests: number };
      await inTransaction(h.ctx.db, (tx) =>
        h.ctx.ledger.append(tx, {
          kind: 'disclosure.refused',
          actor: 'test',
          refs: { basis: 'warrant', offence: 'spam', jurisdiction: 'GB', reason: 'offence_not_disclosable' },
        }),
      );
      const after = (await get(h.app, url, { from })).body as { requests: number };
      assert.equal(after.requests, before.requests + 1);
    });

    test('made-up tokens: 401 up to the limit, then 429 before the store is asked, even for a good token', async () => {
      clockMs += 10_000;
      const from = '192.0.2.30';
      for (let i = 0; i < 3; i++) {
        const reply = await get(h.app, '/v1/principals', { from, token: madeUp() });
        assert.equal(reply.status, 401);
      }
      const flood = await Promise.all(
        Array.from({ length: 50 }, () => get(h.app, '/v1/principals', { from, token: madeUp() })),
      );
      assert.deepEqual(new Set(flood.map((r) => r.status)), new Set([429]));
      assert.equal((await get(h.app, '/v1/principals', { from, token: admin })).status, 429);
      assert.equal((await get(h.app, '/v1/principals', { from: '192.0.2.31', token: admin })).status, 200);
      clockMs += 1000;
      assert.equal((await get(h.app, '/v1/principals', { from, token: admin })).status, 200);
      // Errors mode (the default): the flood wrote no line per request.
      const requestLines = h.logs.filter((line) => JSON.parse(line).msg === 'request');
      assert.deepEqual(requestLines, []);
    });
  },
  {
    config: {
      publicRateLimit: { perSecond: 1, burst: 5 },
      authFailureLimit: { perSecond: 1, burst: 3 },
    },
    server: { clock },
  },
);

forEachStore('the access log', (h) => {
  /** A server over the harness's context with its own access log settings; `requests` GETs of /healthz. */
  async function serveAndLoad(
    accessLog: { mode: 'errors' | 'sample' | 'all'; sampleEvery: number },
    requests: number,
  ) {
    const start = h.logs.length;
    const ctx = { ...h.ctx, config: { ...h.ctx.config, accessLog: { ...accessLog, slowMs: 60_000 } } };
    const app = await buildServer(ctx, { accessSummaryMs: 20 });
    try {
      for (let i = 0; i < requests; i++) await app.inject({ method: 'GET', url: '/healthz' });
      const lines = () => h.logs.slice(start).map((line) => JSON.parse(line));
      const summaries = () => lines().filter((l) => l.msg === 'requests summary');
      const summed = () => summaries().reduce((n, l) => n + l.requests, 0);
      // Summaries are due every period: wait until they have counted every request, by polling.
      while (summed() < requests) await new Promise((r) => setTimeout(r, 10));
      const byStatus: Record<string, number> = {};
      for (const summary of summaries()) {
        for (const [status, n] of Object.entries(summary.byStatus as Record<string, number>))
          byStatus[status] = (byStatus[status] ?? 0) + n;
      }
      return {
        requestLines: lines().filter((l) => l.msg === 'request').length,
        summary: { requests: summed(), byStatus },
      };
    } finally {
      await app.close();
    }
  }

  test('errors (the default): no line for a good request; a summary counts them', async () => {
    const { requestLines, summary } = await serveAndLoad({ mode: 'errors', sampleEvery: 100 }, 20);
    assert.equal(requestLines, 0);
    assert.equal(summary.requests, 20);
    assert.deepEqual(summary.byStatus, { '2xx': 20 });
  });

  test('sample: one request in N', async () => {
    const { requestLines, summary } = await serveAndLoad({ mode: 'sample', sampleEvery: 5 }, 20);
    assert.equal(requestLines, 4);
    assert.equal(summary.requests, 20);
  });

  test('all: every request', async () => {
    const { requestLines } = await serveAndLoad({ mode: 'all', sampleEvery: 100 }, 20);
    assert.equal(requestLines, 20);
  });
});

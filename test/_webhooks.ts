import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DeliveryOptions, DeliveryWorker } from '../src/notify/delivery.ts';
import type { conductFixture } from './_fixtures.ts';
import type { Harness } from './_util.ts';

// Helpers of the webhook tests: a real receiver, the documented signature check, a fast worker.

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A receiver on 127.0.0.1 that answers 500 to its first `failFirst` deliveries, or never answers;
 * closed when the test ends, passed or not (an open server would keep the run alive).
 */
export async function startReceiver(t: TestContext, options: { failFirst?: number; hang?: boolean } = {}) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (options.hang) return;
      const status = received.length < (options.failFirst ?? 0) ? 500 : 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom: internals');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  t.after(close);
  return { url: `http://127.0.0.1:${port}/hooks`, received, close };
}

/** The verification recipe of docs/webhooks.md, with types. */
export function verifyMdisSignature(secret: string, header: string, rawBody: string, toleranceSeconds = 300) {
  const fields = new Map(
    header.split(',').map((part) => {
      const i = part.indexOf('=');
      return [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    }),
  );
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (t === undefined || v1 === undefined || !/^\d+$/.test(t)) return false;
  if (Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const fast: Partial<DeliveryOptions> = {
  baseDelayMs: 2,
  maxDelayMs: 10,
  timeoutMs: 2_000,
  leaseMs: 10_000,
};

export function worker(h: Harness, options: Partial<DeliveryOptions> = {}) {
  const { db, keyring, logger, now } = h.ctx;
  return new DeliveryWorker({ db, keyring, logger, now, options: { ...fast, ...options } });
}

export function outboxOf(h: Harness, subscription: string) {
  return h.ctx.db
    .selectFrom('outbox')
    .selectAll()
    .where('subscription_id', '=', subscription)
    .orderBy('created_at')
    .execute();
}

/** Runs passes until no row of `subscriptions` is pending. */
export async function drain(h: Harness, w: DeliveryWorker, subscriptions: string[]) {
  for (let pass = 0; pass < 300; pass++) {
    await w.deliverDue();
    const pending = await h.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('subscription_id', 'in', subscriptions)
      .where('status', '=', 'pending')
      .execute();
    if (pending.length === 0) return;
    await sleep(5);
  }
  assert.fail('the outbox did not drain');
}

export async function subscribe(h: Harness, token: string, world: string, url: string, events: string[]) {
  const r = await h.call('POST', `/v1/worlds/${world}/subscriptions`, { token, body: { url, events } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.subscription.id as string, secret: r.body.secret as string };
}

export async function mute(h: Harness, f: Awaited<ReturnType<typeof conductFixture>>, days?: number) {
  const r = await h.call('POST', '/v1/sanctions', {
    token: f.moderator,
    body: { subject: f.tom, kind: 'mute', world: f.world, days, reason: 'Shouting in the square' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

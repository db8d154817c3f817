import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { type Role, requiredScope, roles } from '../src/principals/roles.ts';
import { type CallOptions, forEachStore, personEnrolment } from './_util.ts';

// Every endpoint built so far × every caller: the allowed ones succeed, the others are refused
// with the one error shape and leave the store exactly as it was.

const otherWorld = 'platform of another world';
const unauthenticated = ['revoked token', 'no token', 'unknown token', 'malformed Authorization header'];
const callers = [...roles, otherWorld, ...unauthenticated];

/** What the requests need, ready once `before` has run. */
interface Fixtures {
  subject: string;
  /** A number not used before, for things that must be new (world ids, handles, principals). */
  fresh(): number;
  /** A live principal's id, created for this request. */
  newPrincipal(): Promise<string>;
}

interface Endpoint {
  method: string;
  route: string;
  allowed: readonly Role[] | 'public';
  success: number;
  /** Whether a successful call adds to the store (a refused one never may). */
  writes: boolean;
  /** A request that succeeds for an allowed caller; made anew for each cell. */
  request(f: Fixtures): Promise<{ url: string; body?: unknown }> | { url: string; body?: unknown };
}

const home = 'matrix-home';
const away = 'matrix-away';
const boundHandle = 'tom';

const endpoints: Endpoint[] = [
  {
    method: 'POST',
    route: '/v1/subjects',
    allowed: ['registrar'],
    success: 201,
    writes: true,
    request: () => ({ url: '/v1/subjects', body: personEnrolment() }),
  },
  {
    method: 'GET',
    route: '/v1/subjects/:id',
    allowed: ['registrar', 'admin'],
    success: 200,
    writes: false,
    request: (f) => ({ url: `/v1/subjects/${f.subject}` }),
  },
  {
    method: 'PATCH',
    route: '/v1/subjects/:id/attributes',
    allowed: ['registrar'],
    success: 200,
    writes: true,
    request: (f) => ({
      url: `/v1/subjects/${f.subject}/attributes`,
      body: { social: { occupation: `Occupation ${f.fresh()}` } },
    }),
  },
  {
    method: 'POST',
    route: '/v1/worlds',
    allowed: ['admin'],
    success: 201,
    writes: true,
    request: (f) => ({ url: '/v1/worlds', body: { id: `world-${f.fresh()}`, name: 'A world' } }),
  },
  {
    method: 'PUT',
    route: '/v1/worlds/:world/avatars/:handle',
    allowed: ['platform'],
    success: 201,
    writes: true,
    request: (f) => ({ url: `/v1/worlds/${home}/avatars/avatar-${f.fresh()}`, body: { subject: f.subject } }),
  },
  {
    method: 'GET',
    route: '/v1/worlds/:world/avatars/:handle',
    allowed: ['platform', 'admin'],
    success: 200,
    writes: false,
    request: () => ({ url: `/v1/worlds/${home}/avatars/${boundHandle}` }),
  },
  {
    method: 'POST',
    route: '/v1/principals',
    allowed: ['admin'],
    success: 201,
    writes: true,
    request: () => ({ url: '/v1/principals', body: { role: 'auditor' } }),
  },
  {
    method: 'GET',
    route: '/v1/principals',
    allowed: ['admin'],
    success: 200,
    writes: false,
    request: () => ({ url: '/v1/principals?limit=5' }),
  },
  {
    method: 'POST',
    route: '/v1/principals/:id/revoke',
    allowed: ['admin'],
    success: 200,
    writes: true,
    request: async (f) => ({ url: `/v1/principals/${await f.newPrincipal()}/revoke` }),
  },
  ...['/healthz', '/metrics', '/openapi.json', '/docs'].map(
    (route): Endpoint => ({
      method: 'GET',
      route,
      allowed: 'public',
      success: 200,
      writes: false,
      request: () => ({ url: route }),
    }),
  ),
];

function expectedStatus(endpoint: Endpoint, caller: string): number {
  if (endpoint.allowed === 'public') return endpoint.success;
  if (unauthenticated.includes(caller)) return 401;
  return (endpoint.allowed as readonly string[]).includes(caller) ? endpoint.success : 403;
}

forEachStore('access matrix', (h) => {
  const auth: Record<string, CallOptions> = {};
  let counter = 0;
  const fixtures: Fixtures = {
    subject: '',
    fresh: () => ++counter,
    newPrincipal: async () => (await h.ctx.principals.create({ role: 'auditor' })).principal.id,
  };

  before(async () => {
    const setup = await h.token({ role: 'registrar' });
    const enrolled = await h.call('POST', '/v1/subjects', { token: setup, body: personEnrolment() });
    assert.equal(enrolled.status, 201);
    fixtures.subject = enrolled.body.id;
    await h.ctx.worlds.create({ id: home, name: 'Home' }, 'test');
    await h.ctx.worlds.create({ id: away, name: 'Away' }, 'test');
    await h.ctx.avatars.bind({ world: home, handle: boundHandle, subject: fixtures.subject }, 'test');

    const scopes = {
      world: { world: home },
      actions: { actions: ['travel.air'] },
      jurisdiction: { jurisdiction: 'GB' },
      subject: { subject: fixtures.subject },
    };
    for (const role of roles) {
      const scope = requiredScope[role];
      auth[role] = { token: await h.token({ role, ...(scope === undefined ? {} : scopes[scope]) }) };
    }
    auth[otherWorld] = { token: await h.token({ role: 'platform', world: away }) };

    const revoked = await h.ctx.principals.create({ role: 'admin' });
    await h.ctx.principals.revoke(revoked.principal.id);
    auth['revoked token'] = { token: revoked.token };
    auth['no token'] = {};
    auth['unknown token'] = { token: `mdis_${randomBytes(32).toString('base64url')}` };
    // A live admin token under the wrong scheme: the header's form is checked, not just the token.
    const admin = await h.token({ role: 'admin' });
    auth['malformed Authorization header'] = { headers: { authorization: `Token ${admin}` } };
  });

  for (const endpoint of endpoints) {
    for (const caller of callers) {
      const expected = expectedStatus(endpoint, caller);
      test(`${endpoint.method} ${endpoint.route} as ${caller} → ${expected}`, async () => {
        const { url, body } = await endpoint.request(fixtures);
        const before = await h.snapshot();
        const reply = await h.call(endpoint.method, url, { ...auth[caller], body });
        assert.equal(reply.status, expected, JSON.stringify(reply.body));
        const after = await h.snapshot();
        if (expected < 300) {
          assert.equal(
            after !== before,
            endpoint.writes,
            endpoint.writes ? 'nothing written' : 'a read wrote',
          );
          return;
        }
        assert.deepEqual(Object.keys(reply.body).sort(), ['error', 'message']);
        assert.equal(reply.body.error, expected === 401 ? 'unauthenticated' : 'forbidden');
        assert.equal(typeof reply.body.message, 'string');
        assert.ok(reply.body.message.length > 0, 'the message is empty');
        assert.equal(after, before, 'a refused call wrote to the store');
      });
    }
  }
});

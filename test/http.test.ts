import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, test } from 'node:test';
import { pino } from 'pino';
import { createContext } from '../src/context.ts';
import { buildServer } from '../src/http/server.ts';
import { call, forEachStore, personEnrolment, tempDir, testConfig } from './_util.ts';

forEachStore(
  'HTTP surface',
  (h) => {
    let admin: string;
    before(async () => {
      admin = await h.token({ role: 'admin' });
    });

    test('/openapi.json is OpenAPI 3.1 generated from the route schemas', async () => {
      const { status, body } = await h.call('GET', '/openapi.json');
      assert.equal(status, 200);
      assert.equal(body.openapi, '3.1.0');
      for (const path of [
        '/v1/subjects',
        '/v1/subjects/{id}',
        '/v1/worlds/{world}/avatars/{handle}',
        '/v1/worlds',
      ]) {
        assert.ok(body.paths[path], `documents ${path}`);
      }
      const enrol = body.paths['/v1/subjects'].post;
      assert.deepEqual(enrol.security, [{ bearer: [] }]);
      const schema = enrol.requestBody.content['application/json'].schema;
      assert.deepEqual(
        schema.oneOf.map(
          (branch: { properties: { kind: { enum: string[] } } }) => branch.properties.kind.enum[0],
        ),
        ['person', 'organisation', 'agency'],
      );
      // A batch checked item by item still documents its items.
      const events = body.paths['/v1/events'].post.requestBody.content['application/json'].schema;
      assert.deepEqual(Object.keys(events.properties.events.items.properties).sort(), [
        'category',
        'handle',
        'id',
        'occurredAt',
        'severity',
        'world',
      ]);
      assert.equal(body.components.securitySchemes.bearer.scheme, 'bearer');
      assert.ok(body.components.schemas.Error, 'the error shape is a named schema');
    });

    test('/docs serves the API reference page', async () => {
      const { status, body, headers } = await h.call('GET', '/docs/');
      assert.equal(status, 200);
      assert.match(String(headers['content-type']), /text\/html/);
      assert.match(body, /swagger/i);
    });

    test('/healthz answers with the store engine', async () => {
      const { status, body } = await h.call('GET', '/healthz');
      assert.equal(status, 200);
      assert.deepEqual(body, { status: 'ok', store: h.store });
    });

    test('/metrics exposes request durations by route template', async () => {
      await h.call('GET', '/v1/principals', { token: admin });
      const { status, body } = await h.call('GET', '/metrics');
      assert.equal(status, 200);
      assert.match(
        body,
        /mdis_http_request_duration_seconds_count\{method="GET",route="\/v1\/principals",status="200"\} \d+/,
      );
    });

    test('an unknown route is a 404 in the error shape', async () => {
      const { status, body } = await h.call('GET', '/v1/nothing-here');
      assert.equal(status, 404);
      assert.deepEqual(body, { error: 'not_found', message: 'no route for GET /v1/nothing-here' });
    });

    test('principals are rate limited each on their own', async () => {
      const busy = await h.token({ role: 'admin' });
      const registrar = await h.token({ role: 'registrar' });
      for (let i = 0; i < 8; i++)
        assert.equal((await h.call('GET', '/v1/principals', { token: busy })).status, 200);
      const limited = await h.call('GET', '/v1/principals', { token: busy });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      const other = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      assert.equal(other.status, 201, 'another principal is not limited');
    });
  },
  // A tiny budget so that the rate-limit test reaches it; the others stay within it.
  { config: { rateLimit: { perSecond: 1, burst: 8 } } },
);

test('a failure inside the server is a 500 that says only "internal error"', async () => {
  const dir = tempDir('http500');
  const ctx = await createContext(testConfig('sqlite', dir), { logger: pino({ level: 'silent' }) });
  const app = await buildServer(ctx);
  await ctx.close(); // every query now fails inside the driver
  try {
    const { status, body } = await call(app, 'GET', '/healthz');
    assert.equal(status, 500);
    assert.deepEqual(body, { error: 'internal', message: 'internal error' });
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

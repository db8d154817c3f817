import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandling } from '../src/http/error-handler.ts';
import { consoleRoutes } from '../src/http/routes/console.ts';
import { call, forEachStore, tempDir } from './_util.ts';

// The console's serving, against a stand-in build (the real one is driven by console.test.ts).
async function serve(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandling(app);
  app.get('/v1/thing', async () => ({ ok: true }));
  await app.register(consoleRoutes, { root });
  return app;
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the console, built', () => {
  const root = tempDir('console');
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  let app: FastifyInstance;
  after(() => app?.close());

  test('/ is its page, with a content security policy and no caching', async () => {
    app = await serve(root);
    const { status, body, headers } = await call(app, 'GET', '/');
    assert.equal(status, 200);
    assert.match(String(headers['content-type']), /^text\/html/);
    assert.equal(body, '<!doctype html><title>console</title>');
    assert.match(String(headers['content-security-policy']), /default-src 'self'/);
    assert.equal(headers['cache-control'], 'no-cache');
  });

  test('client routes get the same page, so that a reload lands on the same screen', async () => {
    for (const url of ['/cases/case_0123456789abcdef', '/me/score', '/dashboard?kind=person']) {
      const { status, body } = await call(app, 'GET', url);
      assert.equal(status, 200, url);
      assert.equal(body, '<!doctype html><title>console</title>', url);
    }
  });

  test('hashed assets are cached for good', async () => {
    const { status, headers } = await call(app, 'GET', '/assets/index-abc123.js');
    assert.equal(status, 200);
    assert.match(String(headers['cache-control']), /immutable/);
  });

  test('missing files and unknown API paths stay JSON 404s, never the page', async () => {
    for (const url of [
      '/assets/gone.js',
      '/v1/nothing',
      '/v1',
      '/healthz/x',
      '/docs/missing',
      '/.well-known/x',
    ]) {
      const { status, body } = await call(app, 'GET', url);
      assert.equal(status, 404, url);
      assert.equal(body.error, 'not_found', url);
    }
    assert.deepEqual((await call(app, 'GET', '/v1/thing')).body, { ok: true });
    assert.equal((await call(app, 'POST', '/cases')).status, 404, 'only GET serves the page');
  });

  test('nothing outside the build is served', async () => {
    const { status } = await call(app, 'GET', '/../package.json');
    assert.notEqual(status, 200);
  });
});

test('without a build, / says how to build the console, in plain text', async () => {
  const root = tempDir('console-missing');
  dirs.push(root);
  const app = await serve(path.join(root, 'dist'));
  try {
    for (const url of ['/', '/cases/case_0123456789abcdef']) {
      const { status, body, headers } = await call(app, 'GET', url);
      assert.equal(status, 503, url);
      assert.match(String(headers['content-type']), /^text\/plain/);
      assert.match(body, /npm run build/);
    }
    assert.equal((await call(app, 'GET', '/v1/nothing')).body.error, 'not_found');
  } finally {
    await app.close();
  }
});

forEachStore('the console in the server', (h) => {
  test('the API, its reference, health and metrics are not shadowed by the console', async () => {
    assert.equal((await h.call('GET', '/healthz')).body.status, 'ok');
    assert.match(String((await h.call('GET', '/metrics')).body), /# HELP/);
    assert.match(String((await h.call('GET', '/docs/')).body), /swagger/i);
    const openapi = await h.call('GET', '/openapi.json');
    assert.equal(openapi.body.openapi, '3.1.0');
    assert.equal(openapi.body.paths['/*'], undefined, 'the console is not an API path');
    assert.equal((await h.call('GET', '/v1/nothing')).body.error, 'not_found');
  });
});

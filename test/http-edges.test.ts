import assert from 'node:assert/strict';
import net from 'node:net';
import { before, test } from 'node:test';
import { forEachStore } from './_util.ts';

// What Fastify and Node answer themselves (before any route or hook) comes in the one error shape
// too, and every API answer carries the headers that keep it out of caches and sniffers.

/** One raw HTTP/1.1 request over a socket, for what app.inject() cannot send (huge headers). */
async function rawRequest(port: number, request: string): Promise<{ status: number; body: string }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(request);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body };
}

forEachStore('HTTP edges', (h) => {
  let admin: string;
  before(async () => {
    admin = await h.token({ role: 'admin' });
  });

  test('a bad URL encoding is a 400 in the error shape, before authentication', async () => {
    const reply = await h.call('GET', '/v1/subjects/%ZZ');
    assert.equal(reply.status, 400);
    assert.deepEqual(Object.keys(reply.body).sort(), ['error', 'message']);
    assert.equal(reply.body.error, 'invalid_request');
  });

  test('a path parameter over 100 characters is a 414 uri_too_long', async () => {
    const reply = await h.call('GET', `/v1/subjects/${'M'.repeat(101)}`, { token: admin });
    assert.equal(reply.status, 414);
    assert.equal(reply.body.error, 'uri_too_long');
    assert.equal(typeof reply.body.message, 'string');
    assert.doesNotMatch(JSON.stringify(reply.body), /FST_/);
  });

  test('a known path with a wrong method is a 405 with Allow', async () => {
    const reply = await h.call('DELETE', '/v1/principals', { token: admin });
    assert.equal(reply.status, 405);
    assert.equal(reply.body.error, 'method_not_allowed');
    assert.equal(reply.headers.allow, 'GET, HEAD, POST');
    const withId = await h.call('GET', '/v1/principals/prn_1/revoke', { token: admin });
    assert.equal(withId.status, 405);
    assert.equal(withId.headers.allow, 'POST');
    const unknown = await h.call('DELETE', '/v1/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'not_found');
  });

  test('every /v1 answer, errors included, is no-store and nosniff', async () => {
    for (const [url, token] of [
      ['/v1/principals', admin],
      ['/v1/principals', undefined],
      ['/v1/log/checkpoint', undefined],
      ['/v1/nothing-here', undefined],
    ] as const) {
      const reply = await h.call('GET', url, { token });
      assert.equal(reply.headers['cache-control'], 'no-store', url);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff', url);
    }
  });

  test('/docs has a Content-Security-Policy like the console’s', async () => {
    for (const url of ['/docs/', '/docs/static/swagger-initializer.js']) {
      const reply = await h.call('GET', url);
      assert.equal(reply.status, 200, url);
      const csp = String(reply.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /object-src 'none'/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.doesNotMatch(csp, /https:/, url);
    }
  });

  test('headers over 16 KB are a 431 in the error shape', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    // Listening now: the harness closes the app after the suite.
    const port = Number(new URL(address).port);
    const reply = await rawRequest(
      port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(reply.status, 431);
    assert.deepEqual(JSON.parse(reply.body), {
      error: 'headers_too_large',
      message: 'the request headers exceed 16 KB',
    });
  });
});

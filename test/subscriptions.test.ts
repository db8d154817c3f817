import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conductFixture } from './_fixtures.ts';
import { forEachStore } from './_util.ts';
import { subscribe } from './_webhooks.ts';

forEachStore('webhook subscriptions API', (h) => {
  test('subscribing: http(s) URLs and known events only, own world only; the secret is sealed', async () => {
    const f = await conductFixture(h, 'subs-home');
    const other = await h.call('POST', '/v1/worlds', {
      token: f.admin,
      body: { id: 'subs-away', name: 'Away' },
    });
    const otherPlatform: string = other.body.platform.token;
    const url = `/v1/worlds/${f.world}/subscriptions`;
    const events = ['sanction.imposed'];
    const before = await h.snapshot();
    const bad: [unknown, string][] = [
      [{ url: 'ftp://hooks.example/x', events }, 'url'],
      [{ url: 'javascript:alert(1)', events }, 'url'],
      [{ url: 'not a url', events }, 'url'],
      [{ url: 'https://user:pw@hooks.example/x', events }, 'url'],
      [{ url: `https://hooks.example/${'x'.repeat(2000)}`, events }, 'url'],
      [{ url: 'https://hooks.example/x', events: [] }, 'events'],
      [{ url: 'https://hooks.example/x', events: ['sanction.exploded'] }, 'events.0'],
      [{ url: 'https://hooks.example/x', events: ['case.decided', 'case.decided'] }, 'events'],
      [{ url: 'https://hooks.example/x', events, secret: 'mine' }, 'secret'],
      [{ events }, 'url'],
    ];
    for (const [body, field] of bad) {
      const r = await h.call('POST', url, { token: f.platform, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error, 'invalid_request');
      assert.equal(r.body.field, field, JSON.stringify(body));
    }
    const body = { url: 'https://hooks.example/x', events };
    assert.equal((await h.call('POST', url, { token: otherPlatform, body })).status, 403);
    assert.equal((await h.call('POST', url, { token: f.admin, body })).status, 403);
    assert.equal((await h.call('POST', url, { body })).status, 401);
    assert.equal(await h.snapshot(), before, 'a refused request writes nothing');

    const created = await subscribe(h, f.platform, f.world, 'HTTPS://Hooks.Example/x?q=1', events);
    assert.match(created.secret, /^[A-Za-z0-9_-]{43}$/);
    const row = await h.ctx.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.url, 'https://hooks.example/x?q=1');
    assert.ok(!Buffer.from(row.sealed_secret).toString('latin1').includes(created.secret));
    assert.equal(h.ctx.keyring.openSecret(`subscription|${created.id}`, row.sealed_secret), created.secret);

    const listed = await h.call('GET', url, { token: f.admin });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map((s: { id: string; events: string[] }) => [s.id, s.events]),
      [[created.id, events]],
    );
    assert.ok(!JSON.stringify(listed.body).includes(created.secret), 'the secret is shown once only');
    assert.equal((await h.call('GET', url, { token: f.platform })).status, 200);
    assert.equal((await h.call('GET', url, { token: otherPlatform })).status, 403);
    assert.equal((await h.call('GET', url, { token: f.moderator })).status, 403);
    assert.equal((await h.call('GET', `${url}?cursor=nope`, { token: f.admin })).status, 400);

    const one = `${url}/${created.id}`;
    assert.equal((await h.call('DELETE', one, { token: otherPlatform })).status, 403);
    const probe = await h.call('DELETE', `/v1/worlds/subs-away/subscriptions/${created.id}`, {
      token: otherPlatform,
    });
    assert.equal(probe.status, 404, 'another world’s subscription is not found, not forbidden');
    assert.equal((await h.call('DELETE', `${url}/sub_0000000000000000`, { token: f.platform })).status, 404);
    assert.equal((await h.call('DELETE', `${url}/nope`, { token: f.platform })).status, 400);
    const revoked = await h.call('DELETE', one, { token: f.platform });
    assert.equal(revoked.status, 200);
    assert.equal(typeof revoked.body.revokedAt, 'string');
    const again = await h.call('DELETE', one, { token: f.platform });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'subscription_revoked');
  });
});

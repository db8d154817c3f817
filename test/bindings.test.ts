import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { conductFixture } from './_fixtures.ts';
import { Person, pkce, redirectUriOf } from './_people.ts';
import { forEachStore } from './_util.ts';
import { drain, outboxOf, startReceiver, subscribe, worker } from './_webhooks.ts';

forEachStore('the person’s avatar bindings', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;

  before(async () => {
    f = await conductFixture(h);
  });

  test('a person sees their bindings and ends one: the world is told by webhook, its grant revoked', async (t) => {
    const receiver = await startReceiver(t);
    const sub = await subscribe(h, f.platform, f.world, receiver.url, ['avatar.unbound']);
    const tom = f.tomPerson;
    const list = await tom.call('GET', '/v1/me/bindings');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((b: { world: string; handle: string }) => `${b.world}/${b.handle}`),
      [`${f.world}/tom`],
    );

    const before = await h.snapshot();
    const forged = await tom.call('DELETE', `/v1/me/bindings/${f.world}/tom`, { csrf: false });
    assert.equal(forged.status, 403);
    const stranger = new Person(h);
    assert.equal((await stranger.call('DELETE', `/v1/me/bindings/${f.world}/tom`)).status, 401);
    const bearer = await h.call('DELETE', `/v1/me/bindings/${f.world}/nobody`, { token: f.subject });
    assert.equal(bearer.status, 404);
    assert.equal(await h.snapshot(), before);

    const ended = await tom.call('DELETE', `/v1/me/bindings/${f.world}/tom`);
    assert.equal(ended.status, 204, JSON.stringify(ended.body));
    assert.equal((await tom.call('GET', '/v1/me/bindings')).body.items.length, 0);
    const standing = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform });
    assert.equal(standing.status, 404);
    const [row] = await outboxOf(h, sub.id);
    assert.equal(row?.event_type, 'avatar.unbound');
    await drain(h, worker(h), [sub.id]);
    const payload = JSON.parse(receiver.received[0]!.body);
    assert.equal(payload.type, 'avatar.unbound');
    assert.deepEqual(payload.handles, ['tom']);
    assert.equal(payload.handle, 'tom');
    const grants = await h.ctx.db
      .selectFrom('oidc_models')
      .select('payload')
      .where('model', '=', 'Grant')
      .execute();
    assert.ok(
      !grants.some((g) => JSON.parse(g.payload).accountId === f.tom),
      'the grant to the world is gone',
    );

    // Signing in to the world again asks for consent again, and binds anew.
    const { challenge } = pkce();
    const again = await tom.signInToWorld({
      clientId: f.world,
      redirectUri: redirectUriOf(f.world),
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      extra: { avatar: 'tom' },
    });
    assert.equal(again.consented?.status, 200);
    assert.ok(again.code);
    assert.equal(
      (await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform })).status,
      200,
    );
  });
});

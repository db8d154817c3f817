import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { up as platformReads } from '../src/db/migrations/2026-12-02T2600-platform-reads.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore, type Harness } from './_util.ts';
import { startReceiver, subscribe, worker } from './_webhooks.ts';

// What a world's platform reads of its own (issue 17): its avatars with their standing, the
// reports it filed with their cases, its subscriptions' deliveries. Own world only, paged by
// opaque cursors, never an identity, a report's text or a payload.

type Fixture = Awaited<ReturnType<typeof conductFixture>>;

/** Every item of a paged list, `limit` at a time, checking each page answers 200. */
async function walk(h: Harness, path: string, token: string, limit: number) {
  const items: { id?: string; handle?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.call('GET', `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    items.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor !== undefined);
  return items;
}

/** The refusals every one of these routes shares: another world's platform, a bad cursor, a role. */
async function assertRefusals(h: Harness, f: Fixture, away: string, path: string) {
  const otherWorld = await h.call('GET', path, { token: away });
  assert.equal(otherWorld.status, 403, JSON.stringify(otherWorld.body));
  assert.equal(otherWorld.body.error, 'forbidden');
  for (const cursor of ['nope', Buffer.from('[1,2]').toString('base64url'), 'x'.repeat(513)]) {
    const bad = await h.call('GET', `${path}?cursor=${cursor}`, { token: f.platform });
    assert.equal(bad.status, 400, `${path} cursor ${cursor}`);
    assert.equal(bad.body.error, 'invalid_request');
    assert.equal(bad.body.field, 'cursor');
  }
  for (const limit of ['0', '501', 'many']) {
    const bad = await h.call('GET', `${path}?limit=${limit}`, { token: f.platform });
    assert.equal(bad.status, 400, `${path} limit ${limit}`);
    assert.equal(bad.body.field, 'limit');
  }
  assert.equal((await h.call('GET', path, { token: f.moderator })).status, 403);
  assert.equal((await h.call('GET', path, { token: f.airline })).status, 403);
  assert.equal((await h.call('GET', path)).status, 401);
  assert.equal((await h.call('GET', path, { token: f.admin })).status, 200, 'admin reads every world');
}

forEachStore('a platform reads its own world', (h) => {
  let f: Fixture;
  let away: string;
  let caseId: string;
  let subscription: string;
  before(async () => {
    f = await conductFixture(h, 'plaza');
    const created = await h.call('POST', '/v1/worlds', {
      token: f.admin,
      body: { id: 'arcade', name: 'Arcade' },
    });
    away = created.body.platform.token;
    await bindReporters(h, f.world, ['alice', 'bob', 'carol']);
    await bindReporters(h, 'arcade', ['dave']);
    // Tom has an avatar in the arcade too.
    await h.ctx.avatars.bind({ world: 'arcade', handle: 'tom', subject: f.tom }, 'test');
    subscription = (await subscribe(h, f.platform, f.world, 'http://127.0.0.1:9/none', ['case.decided'])).id;
    const first = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    caseId = first.body.caseId;
    const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'upheld', severity: 2, rationale: 'Started a run on the plaza bank' },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const second = await h.call('POST', '/v1/reports', {
      token: f.platform,
      body: { ...report(f.world, 'bob', 'spam') },
    });
    assert.equal(second.status, 202, JSON.stringify(second.body));
    // A report in another world, about another avatar: never in the plaza's list.
    const elsewhere = await h.call('POST', '/v1/reports', {
      token: away,
      body: { ...report('arcade', 'dave'), handle: 'tom' },
    });
    assert.equal(elsewhere.status, 202, JSON.stringify(elsewhere.body));
  });

  test('the three routes are in the OpenAPI document, for the platform and admin', async () => {
    const { body: openapi } = await h.call('GET', '/openapi.json');
    for (const path of [
      '/v1/worlds/{world}/avatars',
      '/v1/worlds/{world}/reports',
      '/v1/worlds/{world}/subscriptions/{id}/deliveries',
    ]) {
      const get = openapi.paths[path]?.get;
      assert.ok(get, `${path} is documented`);
      assert.match(String(get.description), /Roles: platform, admin\b/, path);
      assert.ok(
        get.parameters.some((p: { name: string }) => p.name === 'cursor'),
        `${path} pages`,
      );
    }
  });

  test('its avatars by handle, each with grade and the sanctions in force there; no identity', async () => {
    const path = `/v1/worlds/${f.world}/avatars`;
    const all = await h.call('GET', path, { token: f.platform });
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(
      all.body.items.map((a: { handle: string }) => a.handle),
      ['alice', 'bob', 'carol', 'tom'],
    );
    const tom = all.body.items.find((a: { handle: string }) => a.handle === 'tom');
    assert.equal(tom.standing, 'suspended', 'the ladder suspended Tom in the plaza');
    assert.notEqual(tom.grade, 'A', 'the upheld case lowered his grade');
    assert.deepEqual(
      tom.sanctions.map((s: { kind: string; world?: string }) => [s.kind, s.world]),
      [['suspension', f.world]],
    );
    assert.equal(tom.sanctions[0].reason, undefined, 'never a sanction’s reason');
    assert.match(tom.pseudonym, /^PS/);
    const alice = all.body.items.find((a: { handle: string }) => a.handle === 'alice');
    assert.deepEqual([alice.standing, alice.sanctions], ['allowed', []]);
    assert.ok(!JSON.stringify(all.body).includes(f.tom), 'never the digital ID');
    // The single avatar's standing is the same record.
    const one = await h.call('GET', `${path}/tom`, { token: f.platform });
    assert.deepEqual(one.body, tom);
    // Page by page, each once, in the same order.
    const walked = await walk(h, path, f.platform, 1);
    assert.deepEqual(walked, all.body.items);
    // The arcade's Tom is the same person, but the arcade sees no plaza suspension.
    const arcade = await h.call('GET', '/v1/worlds/arcade/avatars', { token: away });
    const arcadeTom = arcade.body.items.find((a: { handle: string }) => a.handle === 'tom');
    assert.equal(arcadeTom.standing, 'allowed');
    assert.deepEqual(arcadeTom.sanctions, []);
    assert.notEqual(arcadeTom.pseudonym, tom.pseudonym);
    await assertRefusals(h, f, away, path);
    const unknown = await h.call('GET', '/v1/worlds/nowhere/avatars', { token: f.admin });
    assert.equal(unknown.status, 404);
  });

  test('the reports it filed, newest first, with their cases; never the report’s text', async () => {
    const path = `/v1/worlds/${f.world}/reports`;
    const listed = await h.call('GET', path, { token: f.platform });
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const items = listed.body.items;
    assert.deepEqual(
      items.map((r: { category: string; case: { status: string; outcome?: string } }) => [
        r.category,
        r.case.status,
        r.case.outcome,
      ]),
      [
        ['spam', 'open', undefined],
        ['spreading_rumors', 'decided', 'upheld'],
      ],
    );
    assert.equal(items[1].case.id, caseId);
    assert.equal(items[1].handle, 'tom');
    const text = JSON.stringify(listed.body);
    assert.ok(!text.includes('insolvent') && !text.includes('alice'), 'no description, no reporter');
    assert.deepEqual(await walk(h, path, f.platform, 1), items);
    const arcade = await h.call('GET', '/v1/worlds/arcade/reports', { token: away });
    assert.equal(arcade.body.items.length, 1, 'the arcade sees its own report only');
    await assertRefusals(h, f, away, path);
  });

  test('its subscriptions’ deliveries: status, attempts and the last failure; no payload', async (t) => {
    const failing = await startReceiver(t, { failFirst: 1_000 });
    const ok = await startReceiver(t);
    const failed = await subscribe(h, f.platform, f.world, failing.url, ['case.decided', 'sanction.imposed']);
    const delivered = await subscribe(h, f.platform, f.world, ok.url, ['case.decided']);
    const decided = await h.call('POST', `/v1/cases/${await openCase(h, f, 'carol')}/decision`, {
      token: f.moderator,
      body: { outcome: 'dismissed', rationale: 'Not shown to be false' },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    // One pass: each row due is tried once (a second would retry the failing one).
    await worker(h).deliverDue();

    const path = (id: string) => `/v1/worlds/${f.world}/subscriptions/${id}/deliveries`;
    const bad = await h.call('GET', path(failed.id), { token: f.platform });
    assert.equal(bad.status, 200, JSON.stringify(bad.body));
    assert.deepEqual(
      bad.body.items.map((d: Record<string, unknown>) => [d.eventType, d.status, d.attempts, d.lastError]),
      [['case.decided', 'pending', 1, 'http 500']],
    );
    assert.equal(typeof bad.body.items[0].nextAttemptAt, 'string');
    const good = await h.call('GET', path(delivered.id), { token: f.platform });
    const [done] = good.body.items;
    assert.deepEqual(
      [done.status, done.attempts, done.lastError, done.nextAttemptAt],
      ['delivered', 1, undefined, undefined],
    );
    assert.equal(typeof done.deliveredAt, 'string');
    const row = await h.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('id', '=', done.id)
      .executeTakeFirstOrThrow();
    const pseudonym = JSON.parse(row.payload).pseudonym as string;
    assert.ok(!JSON.stringify(good.body).includes(pseudonym), 'no payload');
    assert.deepEqual(
      await walk(h, path(subscription), f.platform, 1),
      (await h.call('GET', path(subscription), { token: f.platform })).body.items,
    );

    await assertRefusals(h, f, away, path(failed.id));
    const probe = await h.call('GET', `/v1/worlds/arcade/subscriptions/${failed.id}/deliveries`, {
      token: away,
    });
    assert.equal(probe.status, 404, 'another world’s subscription is not found, not forbidden');
    assert.equal(probe.body.error, 'subscription_not_found');
    const malformed = await h.call('GET', `/v1/worlds/${f.world}/subscriptions/nope/deliveries`, {
      token: f.platform,
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.field, 'id');
  });

  // Last: it takes the schema back to before the migration, with reports filed, and runs it again.
  test('the migration gives reports filed before it their case’s world', async () => {
    const before = await h.call('GET', `/v1/worlds/${f.world}/reports`, { token: f.platform });
    await sql`drop index reports_by_world`.execute(h.ctx.db);
    await sql`drop index outbox_by_subscription`.execute(h.ctx.db);
    await sql`alter table reports drop column world_id`.execute(h.ctx.db);
    // Migrations take the store untyped, as the migrator hands it to them.
    await platformReads(h.ctx.db as unknown as Kysely<unknown>);
    const worlds = await h.ctx.db.selectFrom('reports').select('world_id').distinct().execute();
    assert.deepEqual(worlds.map((r) => r.world_id).sort(), ['arcade', f.world]);
    const after = await h.call('GET', `/v1/worlds/${f.world}/reports`, { token: f.platform });
    assert.equal(after.status, 200);
    assert.ok(before.body.items.length >= 3);
    assert.deepEqual(after.body, before.body);
  });

  test('a restriction shows a world only its own actions, not what the person may do elsewhere', async () => {
    const imposed = await h.call('POST', '/v1/sanctions', {
      token: f.moderator,
      body: {
        subject: f.tom,
        kind: 'restriction',
        actions: ['world.chat', 'travel.air'],
        days: 30,
        reason: 'Spam in the square and a fare dodge',
      },
    });
    assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
    const tom = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform });
    const restriction = tom.body.sanctions.find((s: { kind: string }) => s.kind === 'restriction');
    assert.deepEqual(restriction.actions, ['world.chat']);
    assert.ok(!JSON.stringify(tom.body).includes('travel'), 'nothing of travel reaches the world');
  });
});

/** A new open case about Tom, reported by `reporter`. */
async function openCase(h: Harness, f: Fixture, reporter: string): Promise<string> {
  const filed = await h.call('POST', '/v1/reports', {
    token: f.platform,
    body: report(f.world, reporter, 'fraud'),
  });
  assert.equal(filed.status, 202, JSON.stringify(filed.body));
  return filed.body.caseId;
}

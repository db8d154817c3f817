import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createContext } from '../src/context.ts';
import { dayMs } from '../src/util/time.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore } from './_util.ts';
import { drain, mute, outboxOf, startReceiver, subscribe, verifyMdisSignature, worker } from './_webhooks.ts';

// Webhooks end to end: real events from the API, a real HTTP receiver that fails first, retries
// with a tiny backoff, signatures checked with the recipe of docs/webhooks.md.

forEachStore('notifications: signed, retried webhook delivery', (h) => {
  test('each event arrives once, signed, after the receiver failed three times', async (t) => {
    const f = await conductFixture(h, 'plaza');
    await bindReporters(h, f.world, ['alice']);
    const flaky = await startReceiver(t, { failFirst: 3 });
    const liftsOnly = await startReceiver(t);
    const elsewhere = await startReceiver(t);
    const main = await subscribe(h, f.platform, f.world, flaky.url, [
      'case.decided',
      'sanction.imposed',
      'sanction.lifted',
    ]);
    const lifts = await subscribe(h, f.platform, f.world, liftsOnly.url, ['sanction.lifted']);
    const arcade = await h.call('POST', '/v1/worlds', {
      token: f.admin,
      body: { id: 'arcade', name: 'Arcade' },
    });
    const away = await subscribe(h, arcade.body.platform.token, 'arcade', elsewhere.url, [
      'case.decided',
      'sanction.imposed',
      'sanction.lifted',
      'sanction.expired',
    ]);

    // Upheld with a restriction: case.decided, plus sanction.imposed for it and the ladder's suspension.
    const filed = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') });
    const decided = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
      token: f.moderator,
      body: {
        outcome: 'upheld',
        severity: 2,
        rationale: 'Started a run on the plaza bank',
        sanctions: [{ kind: 'restriction', actions: ['travel.air', 'world.trade'], days: 30 }],
      },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const sanctions = await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator });
    const restriction = sanctions.body.items.find((s: { kind: string }) => s.kind === 'restriction');
    const lifted = await h.call('POST', `/v1/sanctions/${restriction.id}/lift`, {
      token: f.moderator,
      body: { reason: 'Reconsidered' },
    });
    assert.equal(lifted.status, 200);
    assert.equal(flaky.received.length, 0, 'nothing is sent before the worker runs');

    await drain(h, worker(h), [main.id, lifts.id, away.id]);

    const rows = await outboxOf(h, main.id);
    assert.deepEqual(rows.map((r) => r.event_type).sort(), [
      'case.decided',
      'sanction.imposed',
      'sanction.imposed',
      'sanction.lifted',
    ]);
    assert.ok(
      rows.every((r) => r.status === 'delivered' && r.delivered_at !== null && r.lease_until === null),
    );
    assert.equal(flaky.received.length, 4 + 3, 'four events and three failed attempts');
    const accepted = flaky.received.filter((r) => r.status === 200).map((r) => r.headers['mdis-event-id']);
    assert.deepEqual([...accepted].sort(), rows.map((r) => r.id).sort(), 'each accepted exactly once');
    for (const row of rows) {
      const tries = flaky.received.filter((r) => r.headers['mdis-event-id'] === row.id).length;
      assert.equal(row.attempts, tries, `attempts of ${row.event_type}`);
    }
    assert.equal(
      rows.reduce((sum, r) => sum + r.attempts, 0),
      7,
    );

    const standing = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform });
    for (const delivery of [...flaky.received, ...liftsOnly.received]) {
      const secret = delivery === liftsOnly.received[0] ? lifts.secret : main.secret;
      assert.ok(verifyMdisSignature(secret, String(delivery.headers['mdis-signature']), delivery.body));
      assert.equal(
        verifyMdisSignature(away.secret, String(delivery.headers['mdis-signature']), delivery.body),
        false,
      );
      const payload = JSON.parse(delivery.body);
      assert.equal(delivery.headers['content-type'], 'application/json');
      assert.equal(delivery.headers['mdis-event-id'], payload.id);
      assert.equal(delivery.headers['mdis-event-type'], payload.type);
      assert.equal(payload.world, f.world);
      assert.equal(payload.pseudonym, standing.body.pseudonym);
      assert.deepEqual(payload.handles, ['tom']);
      for (const personal of [
        'Thomas',
        'tom@example.org',
        '+447700900123',
        'Streamer',
        f.tom,
        'plaza bank',
        'travel.air',
      ]) {
        assert.ok(!delivery.body.includes(personal), `the payload must not contain "${personal}"`);
      }
    }
    const decidedPayload = flaky.received
      .map((r) => JSON.parse(r.body))
      .find((p) => p.type === 'case.decided');
    assert.deepEqual(decidedPayload.case, {
      id: filed.body.caseId,
      category: 'spreading_rumors',
      outcome: 'upheld',
      severity: 2,
    });
    assert.deepEqual(
      liftsOnly.received.map((r) => [r.headers['mdis-event-type'], JSON.parse(r.body).sanction.id]),
      [['sanction.lifted', restriction.id]],
      'only the subscribed type arrives',
    );
    assert.deepEqual(
      liftsOnly.received.map((r) => JSON.parse(r.body).sanction.actions),
      [['world.trade']],
      'a world hears of the world actions a restriction names, not that the person may not fly',
    );
    assert.equal(elsewhere.received.length, 0, 'a world where Tom has no avatar hears nothing');
    assert.equal((await outboxOf(h, away.id)).length, 0);
  });

  test('a restriction of actions outside the worlds reaches no world, imposed or lifted', async (t) => {
    const f = await conductFixture(h, 'grounded');
    await bindReporters(h, f.world, ['alice']);
    const receiver = await startReceiver(t);
    const sub = await subscribe(h, f.platform, f.world, receiver.url, [
      'sanction.imposed',
      'sanction.lifted',
    ]);
    const imposed = await h.call('POST', '/v1/sanctions', {
      token: f.moderator,
      body: {
        subject: f.tom,
        kind: 'restriction',
        actions: ['travel.air', 'finance.credit'],
        days: 30,
        reason: 'Fraud',
      },
    });
    assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
    const lifted = await h.call('POST', `/v1/sanctions/${imposed.body.id}/lift`, {
      token: f.moderator,
      body: { reason: 'Reconsidered' },
    });
    assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
    assert.equal((await outboxOf(h, sub.id)).length, 0);
    await worker(h).deliverDue();
    assert.equal(receiver.received.length, 0);
  });

  test('a revoked subscription gets nothing more, not even what was already queued', async (t) => {
    const f = await conductFixture(h, 'revoking');
    await bindReporters(h, f.world, ['alice']);
    const receiver = await startReceiver(t);
    const sub = await subscribe(h, f.platform, f.world, receiver.url, ['sanction.imposed']);
    await mute(h, f);
    assert.equal((await outboxOf(h, sub.id)).length, 1);
    await h.call('DELETE', `/v1/worlds/${f.world}/subscriptions/${sub.id}`, { token: f.platform });
    await drain(h, worker(h), [sub.id]);
    await mute(h, f);
    await worker(h).deliverDue();
    const rows = await outboxOf(h, sub.id);
    assert.deepEqual(
      rows.map((r) => [r.status, r.last_error, r.attempts]),
      [['failed', 'subscription_revoked', 0]],
    );
    assert.equal(receiver.received.length, 0);
  });

  test('after max attempts a notification fails; errors are recorded by kind, never by body', async (t) => {
    const f = await conductFixture(h, 'failing');
    await bindReporters(h, f.world, ['alice']);
    const broken = await startReceiver(t, { failFirst: Number.POSITIVE_INFINITY });
    const silent = await startReceiver(t, { hang: true });
    const gone = await startReceiver(t);
    await gone.close();
    const subs = [
      await subscribe(h, f.platform, f.world, broken.url, ['sanction.imposed']),
      await subscribe(h, f.platform, f.world, silent.url, ['sanction.imposed']),
      await subscribe(h, f.platform, f.world, gone.url, ['sanction.imposed']),
    ];
    await mute(h, f);
    await drain(
      h,
      worker(h, { maxAttempts: 3, timeoutMs: 2_000 }),
      subs.map((s) => s.id),
    );
    const outcome = [];
    for (const sub of subs)
      outcome.push((await outboxOf(h, sub.id)).map((r) => [r.status, r.attempts, r.last_error]));
    assert.deepEqual(outcome, [
      [['failed', 3, 'http 500']],
      [['failed', 3, 'timeout']],
      [['failed', 3, 'network ECONNREFUSED']],
    ]);
    assert.equal(broken.received.length, 3);
    assert.ok((await worker(h).counts()).failed >= 3);
  });

  test('workers running at once deliver each notification once', async (t) => {
    const f = await conductFixture(h, 'racing');
    await bindReporters(h, f.world, ['alice']);
    const receiver = await startReceiver(t);
    const sub = await subscribe(h, f.platform, f.world, receiver.url, ['sanction.imposed']);
    for (let i = 0; i < 8; i++) await mute(h, f);
    const workers = [worker(h, { batchSize: 3 }), worker(h, { batchSize: 3 }), worker(h, { batchSize: 3 })];
    let attempted = 0;
    for (let round = 0; round < 5; round++) {
      attempted += (await Promise.all(workers.map((w) => w.deliverDue()))).reduce((a, b) => a + b, 0);
    }
    assert.equal(attempted, 8);
    const ids = receiver.received.map((r) => r.headers['mdis-event-id']);
    assert.equal(new Set(ids).size, 8);
    assert.equal(ids.length, 8);
    assert.ok((await outboxOf(h, sub.id)).every((r) => r.status === 'delivered' && r.attempts === 1));
  });

  test('a restart loses nothing: what one instance queued, the next delivers', async (t) => {
    const f = await conductFixture(h, 'restarting');
    await bindReporters(h, f.world, ['alice']);
    const receiver = await startReceiver(t);
    const sub = await subscribe(h, f.platform, f.world, receiver.url, ['sanction.imposed']);
    const quiet = pino({ level: 'silent' });
    const first = await createContext(h.ctx.config, { logger: quiet });
    const sanction = await first.sanctions
      .impose(
        {
          subject: f.tom,
          kind: 'mute',
          world: f.world,
          reason: 'Queued before the restart',
          source: 'manual',
        },
        'test',
      )
      .finally(() => first.close());
    assert.equal(receiver.received.length, 0);
    assert.equal((await outboxOf(h, sub.id))[0]?.status, 'pending');

    // The next instance delivers it by itself, as `mdis serve` does.
    const second = await createContext(h.ctx.config, { logger: quiet });
    second.startJobs();
    try {
      for (let waited = 0; receiver.received.length === 0 && waited < 5_000; waited += 20) await sleep(20);
    } finally {
      await second.close();
    }
    assert.deepEqual(
      receiver.received.map((r) => JSON.parse(r.body).sanction.id),
      [sanction.id],
    );
    assert.ok(
      verifyMdisSignature(
        sub.secret,
        String(receiver.received[0]!.headers['mdis-signature']),
        receiver.received[0]!.body,
      ),
    );
    assert.equal((await outboxOf(h, sub.id))[0]?.status, 'delivered');
  });
});

let clock = Date.parse('2026-12-01T09:00:00.000Z');

forEachStore(
  'notifications: expiry and leases on a fake clock',
  (h) => {
    test('an expired sanction is announced to the worlds subscribed to expiries only', async (t) => {
      const f = await conductFixture(h, 'plaza');
      await bindReporters(h, f.world, ['alice']);
      const receiver = await startReceiver(t);
      const sub = await subscribe(h, f.platform, f.world, receiver.url, ['sanction.expired']);
      const id = await mute(h, f, 1);
      assert.equal((await outboxOf(h, sub.id)).length, 0, 'imposition is not subscribed');
      clock += 2 * dayMs;
      assert.equal(await h.ctx.sanctions.expireDue(), 1);
      assert.equal(await worker(h).deliverDue(), 1);
      const [delivery] = receiver.received;
      const payload = JSON.parse(delivery!.body);
      assert.equal(payload.type, 'sanction.expired');
      assert.equal(payload.sanction.id, id);
      assert.equal(payload.sanction.status, 'expired');
      assert.equal(
        delivery!.headers['mdis-signature']?.toString().split(',')[0],
        `t=${Math.floor(clock / 1000)}`,
      );
    });

    test('a row leased by another instance waits for the lease to run out', async (t) => {
      const f = await conductFixture(h, 'leased');
      await bindReporters(h, f.world, ['alice']);
      const receiver = await startReceiver(t);
      const sub = await subscribe(h, f.platform, f.world, receiver.url, ['sanction.imposed']);
      await mute(h, f);
      // As if an instance had claimed it and died before recording the outcome.
      const held = new Date(clock + 60_000).toISOString();
      await h.ctx.db
        .updateTable('outbox')
        .set({ lease_until: held })
        .where('subscription_id', '=', sub.id)
        .execute();
      assert.equal(await worker(h).deliverDue(), 0);
      clock += 61_000;
      assert.equal(await worker(h).deliverDue(), 1);
      assert.equal(receiver.received.length, 1);
      assert.equal((await outboxOf(h, sub.id))[0]?.status, 'delivered');
    });
  },
  { now: () => new Date(clock) },
);

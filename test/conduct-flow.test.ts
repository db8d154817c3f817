import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore } from './_util.ts';

forEachStore('conduct: report → case → decision → sanction → eligibility → appeal', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  before(async () => {
    f = await conductFixture(h);
    const crowd = Array.from({ length: 12 }, (_, i) => `crowd-${i}`);
    await bindReporters(h, f.world, ['alice', 'bob', 'carol', 'dave', 'erin', 'repeater', ...crowd]);
  });

  test('the whole flow, as in the proposal’s example', async () => {
    const air = () =>
      h
        .call('GET', `/v1/eligibility?subject=${f.tom}&action=travel.air`, { token: f.airline })
        .then((r) => r.body);
    assert.deepEqual(await air(), { allowed: true, reason: 'eligible', sanctionIds: [] });

    // Three users report Tom; one of them twice. They gather into one case that counts three.
    const first = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') });
    assert.equal(first.status, 202);
    assert.equal(first.body.duplicate, false);
    const again = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') });
    assert.deepEqual(again.body, {
      reportId: first.body.reportId,
      caseId: first.body.caseId,
      duplicate: true,
    });
    for (const reporter of ['bob', 'carol']) {
      const r = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, reporter) });
      assert.equal(r.body.caseId, first.body.caseId);
    }
    const caseId: string = first.body.caseId;

    const queue = await h.call('GET', '/v1/cases?status=open&world=plaza', { token: f.moderator });
    const listed = queue.body.items.find((c: { id: string }) => c.id === caseId);
    assert.equal(listed.reportCount, 3);
    const detail = await h.call('GET', `/v1/cases/${caseId}`, { token: f.moderator });
    assert.deepEqual(detail.body.reports.map((r: { reporter: string }) => r.reporter).sort(), [
      'alice',
      'bob',
      'carol',
    ]);
    assert.equal(detail.body.reports[0].evidence[0].uri, 'https://evidence.example/plaza/123');

    // Upheld at severity 2: two strikes, the ladder's two-day suspension, and the moderator's
    // restriction on air travel.
    const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: {
        outcome: 'upheld',
        severity: 2,
        rationale: 'Repeated false claims that caused a run on the plaza bank',
        sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
      },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal(decided.body.status, 'decided');
    assert.equal(decided.body.decision.outcome, 'upheld');

    const sanctions = await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator });
    const kinds = sanctions.body.items
      .map((s: { kind: string; source: string }) => `${s.kind}/${s.source}`)
      .sort();
    assert.deepEqual(kinds, ['restriction/decision', 'suspension/ladder']);
    const restriction = sanctions.body.items.find((s: { kind: string }) => s.kind === 'restriction');
    assert.equal(restriction.caseId, caseId);

    const denied = await air();
    assert.deepEqual(denied, { allowed: false, reason: 'restricted', sanctionIds: [restriction.id] });
    const enter = await h.call('GET', `/v1/eligibility?subject=${f.tom}&action=world.enter`, {
      token: f.platform,
    });
    assert.equal(enter.body.reason, 'suspended');
    const rail = await h.call('GET', `/v1/eligibility?subject=${f.tom}&action=travel.rail`, {
      token: f.airline,
    });
    assert.equal(rail.body.allowed, true);

    // Tom sees it all, and appeals.
    const me = await h.call('GET', '/v1/me', { token: f.subject });
    assert.equal(me.body.subject, f.tom);
    assert.equal(me.body.strikes.active, 2);
    assert.equal(me.body.cases[0].rationale, 'Repeated false claims that caused a run on the plaza bank');
    // The subject sees each report's category, time, description and evidence (issue 14), never
    // who reported it.
    const reports = me.body.cases[0].reports;
    assert.ok(reports.length > 0);
    assert.ok(reports.every((r: Record<string, unknown>) => !('reporter' in r) && !('id' in r)));
    assert.ok(reports.every((r: { description: string }) => r.description.length > 0));
    for (const reporter of ['alice', 'bob', 'carol']) {
      assert.ok(!JSON.stringify(me.body).includes(`"${reporter}"`), `${reporter} is not named`);
    }
    assert.equal(me.body.sanctions.length, 2);

    const appealed = await h.call('POST', `/v1/cases/${caseId}/appeal`, {
      token: f.subject,
      body: { reason: 'The bank really was insolvent; here is its filing' },
    });
    assert.equal(appealed.status, 200);
    assert.equal(appealed.body.status, 'appealed');
    const twice = await h.call('POST', `/v1/cases/${caseId}/appeal`, {
      token: f.subject,
      body: { reason: 'again' },
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error, 'already_appealed');

    const overturned = await h.call('POST', `/v1/cases/${caseId}/appeal/decision`, {
      token: f.reviewer,
      body: { outcome: 'overturned', rationale: 'The filing confirms the claim' },
    });
    assert.equal(overturned.status, 200);
    assert.equal(overturned.body.appeal.status, 'overturned');

    assert.deepEqual(await air(), { allowed: true, reason: 'eligible', sanctionIds: [] });
    const after = await h.call('GET', '/v1/me', { token: f.subject });
    assert.equal(after.body.strikes.active, 0);
    assert.ok(after.body.sanctions.every((s: { status: string }) => s.status === 'lifted'));
  });

  test('a dismissed case imposes nothing and cannot be appealed', async () => {
    const filed = await h.call('POST', '/v1/reports', {
      token: f.platform,
      body: report(f.world, 'dave', 'spam'),
    });
    const caseId = filed.body.caseId;
    const dismissed = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'dismissed', rationale: 'Ordinary advertising in the market square' },
    });
    assert.equal(dismissed.body.decision.outcome, 'dismissed');
    const appeal = await h.call('POST', `/v1/cases/${caseId}/appeal`, {
      token: f.subject,
      body: { reason: 'x' },
    });
    assert.equal(appeal.status, 409);
    assert.equal(appeal.body.error, 'not_appealable');
    const twice = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'dismissed', rationale: 'again' },
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error, 'case_not_open');
  });

  test('a decision that fails half-way writes nothing: no decision, strikes or sanctions', async () => {
    const filed = await h.call('POST', '/v1/reports', {
      token: f.platform,
      body: report(f.world, 'erin', 'cheating'),
    });
    const before = await h.snapshot();
    const failed = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
      token: f.moderator,
      body: {
        outcome: 'upheld',
        severity: 3,
        rationale: 'Aimbot',
        sanctions: [
          { kind: 'mute', days: 1 },
          { kind: 'restriction', actions: ['travel.space'] },
        ],
      },
    });
    assert.equal(failed.status, 400);
    assert.equal(failed.body.field, 'sanctions.1.actions');
    assert.equal(await h.snapshot(), before);
  });

  test('reports sent at once are each filed once, into one case per category, each with its log entry', async () => {
    const filedEntries = async () =>
      (await h.ctx.ledger.entries(0, h.ctx.ledger.size + 1_000)).filter((e) =>
        e.entry.includes('"kind":"report.filed"'),
      ).length;
    const entriesBefore = await filedEntries();
    // Twelve reporters about hate speech, a thirteenth four times over, and six about spam.
    const bodies = [
      ...Array.from({ length: 12 }, (_, i) => report(f.world, `crowd-${i}`, 'hate_speech')),
      ...Array.from({ length: 4 }, () => report(f.world, 'repeater', 'hate_speech')),
      ...Array.from({ length: 6 }, (_, i) => report(f.world, `crowd-${i}`, 'spam')),
    ];
    const replies = await Promise.all(
      bodies.map((body) => h.call('POST', '/v1/reports', { token: f.platform, body })),
    );
    assert.deepEqual(
      replies.map((r) => r.status),
      bodies.map(() => 202),
    );
    const [hate, spam] = [replies.slice(0, 16), replies.slice(16)];
    assert.equal(new Set(hate.map((r) => r.body.caseId)).size, 1);
    assert.equal(new Set(spam.map((r) => r.body.caseId)).size, 1);
    const repeated = hate.slice(12);
    assert.equal(repeated.filter((r) => !r.body.duplicate).length, 1);
    assert.equal(new Set(repeated.map((r) => r.body.reportId)).size, 1);

    for (const [replies, count] of [
      [hate, 13],
      [spam, 6],
    ] as const) {
      const detail = await h.call('GET', `/v1/cases/${replies[0]!.body.caseId}`, { token: f.moderator });
      assert.equal(detail.body.reportCount, count);
      assert.equal(detail.body.reports.length, count);
    }
    assert.equal((await filedEntries()) - entriesBefore, 19);
  });
});

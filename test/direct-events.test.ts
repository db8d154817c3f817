import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { defaultPolicyFile } from '../src/policy/load.ts';
import type { PolicyDocument } from '../src/policy/policy.ts';
import { dayMs } from '../src/util/time.ts';
import { entriesSince, logSize } from './_access.ts';
import { bindReporters, conductFixture } from './_fixtures.ts';
import { forEachStore, personEnrolment, tempDir } from './_util.ts';

let clock = Date.parse('2026-06-01T12:00:00Z');

// Issue 14, part 1: a policy may count a negative category's events directly
// (`negativeEvents: "direct"`). Here fraud does; world.trade is denied at grade D as well, so that
// a world action shows the grade with every point. From policy/default.json: fraud at severity 5
// is −250, at 4 −150, at 3 −90; identity_theft at 5 is −260; severity 5 gives 5 strikes, which
// reach a 14-day suspension (−20); grade D is below 600, C below 850.
const dir = tempDir('direct-events');
const policyFile = path.join(dir, 'policy.json');
const document = JSON.parse(fs.readFileSync(defaultPolicyFile, 'utf8')) as PolicyDocument;
document.categories.fraud!.negativeEvents = 'direct';
document.actions['world.trade']!.deniedAtGrades = ['D'];
fs.writeFileSync(policyFile, JSON.stringify(document));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

forEachStore(
  'negative events counted directly',
  (h) => {
    let f: Awaited<ReturnType<typeof conductFixture>>;
    const event = (id: string, category: string, severity: number, handle: string) => ({
      id,
      world: f.world,
      handle,
      category,
      severity,
      occurredAt: new Date(clock - 60_000).toISOString(),
    });
    const enrol = async (handle: string) => {
      const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
      await h.ctx.avatars.bind({ world: f.world, handle, subject: enrolled.body.id }, 'test');
      return enrolled.body.id as string;
    };
    const send = (events: object[]) => h.call('POST', '/v1/events', { token: f.platform, body: { events } });
    const credit = async (subject: string) =>
      (await h.call('GET', `/v1/subjects/${subject}/credit`, { token: f.moderator })).body;
    const air = async (subject: string) =>
      (await h.call('GET', `/v1/eligibility?subject=${subject}&action=travel.air`, { token: f.airline }))
        .body;
    const trade = async (subject: string) =>
      (await h.call('GET', `/v1/eligibility?subject=${subject}&action=world.trade`, { token: f.platform }))
        .body;
    const decideReport = async (handle: string, category: string, reporter: string, severity = 5) => {
      await bindReporters(h, f.world, [reporter]);
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: {
          world: f.world,
          handle,
          category,
          reporter,
          description: 'Confirmed by the bank',
          evidence: [],
          occurredAt: new Date(clock - 60_000).toISOString(),
        },
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      const decided = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
        token: f.moderator,
        body: { outcome: 'upheld', severity, rationale: 'Confirmed' },
      });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
    };

    before(async () => {
      f = await conductFixture(h);
    });

    test('they count at once, open no case, and never alone deny an action outside the worlds', async () => {
      const mallory = await enrol('mallory');
      const sent = await send([event('m1', 'fraud', 5, 'mallory'), event('m2', 'fraud', 5, 'mallory')]);
      assert.equal(sent.status, 200);
      assert.deepEqual(
        sent.body.results.map((r: { points?: number; caseId?: string }) => [r.points, r.caseId]),
        [
          [-250, undefined],
          [-250, undefined],
        ],
      );
      const c = await credit(mallory);
      assert.deepEqual([c.score, c.grade], [500, 'D']);
      // In the worlds the grade counts every point; outside them not the world's word alone.
      assert.deepEqual(await trade(mallory), { allowed: false, reason: 'grade', sanctionIds: [] });
      assert.deepEqual(await air(mallory), { allowed: true, reason: 'eligible', sanctionIds: [] });
      await h.ctx.eligibility.rebuild();
      assert.equal((await trade(mallory)).reason, 'grade');
      assert.equal((await air(mallory)).allowed, true);

      // A decided case adds reviewed points: 720 without the direct ones, still C.
      await decideReport('mallory', 'identity_theft', 'witness1');
      assert.deepEqual([(await credit(mallory)).score, (await air(mallory)).allowed], [220, true]);
      // A second one, fraud at severity 4 (−150; its 4 strikes make 9, no step of the ladder, so no
      // sanction tells eligibility), takes the reviewed points alone to 570, D: the grade stays D,
      // but now it denies the flight.
      await decideReport('mallory', 'fraud', 'witness2', 4);
      assert.equal((await credit(mallory)).score, 70);
      const sanctions = (await h.call('GET', `/v1/sanctions?subject=${mallory}`, { token: f.moderator }))
        .body;
      assert.equal(sanctions.items.length, 1, 'the first decision’s suspension only');
      assert.deepEqual(await air(mallory), { allowed: false, reason: 'grade', sanctionIds: [] });
      await h.ctx.eligibility.rebuild();
      assert.equal((await air(mallory)).reason, 'grade');
    });

    test('a direct contribution is appealed on its own: overturned removes it and restores the score', async () => {
      const eve = await enrol('eve');
      const subject = await h.token({ role: 'subject', subject: eve });
      await send([event('e1', 'fraud', 3, 'eve'), event('e2', 'fraud', 3, 'eve')]);
      assert.equal((await credit(eve)).score, 820);
      const mine = (await h.call('GET', `/v1/subjects/${eve}/credit`, { token: subject })).body;
      const [first, second] = mine.explanation.contributions.map((c: { id: string }) => c.id);
      // The subject's own record shows until when each may be appealed: 30 days from its recording.
      const deadlines = async () =>
        Object.fromEntries(
          (await h.call('GET', '/v1/me', { token: subject })).body.credit.explanation.contributions.map(
            (c: { id: string; appealDeadline?: string }) => [c.id, c.appealDeadline],
          ),
        );
      const thirtyDays = new Date(clock + 30 * dayMs).toISOString();
      assert.deepEqual(await deadlines(), { [first]: thirtyDays, [second]: thirtyDays });
      const appeal = (id: string, token = subject) =>
        h.call('POST', '/v1/appeals', {
          token,
          body: { target: { kind: 'contribution', id }, reason: 'That trade was honest' },
        });
      const from = await logSize(h);
      const filed = await appeal(first);
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.deepEqual(
        [filed.body.kind, filed.body.target, filed.body.queue, filed.body.status],
        ['contribution', first, 'moderator', 'pending'],
      );
      assert.deepEqual(
        [(await appeal(first)).status, (await appeal(first)).body.error],
        [409, 'already_appealed'],
      );
      const decide = (id: string, outcome: string) =>
        h.call('POST', `/v1/appeals/${id}/decision`, {
          token: f.reviewer,
          body: { outcome, rationale: `Heard: ${outcome}` },
        });
      const overturned = await decide(filed.body.id, 'overturned');
      assert.equal(overturned.status, 200, JSON.stringify(overturned.body));
      assert.equal(overturned.body.status, 'overturned');
      const after = await credit(eve);
      assert.equal(after.score, 910);
      assert.deepEqual(
        after.explanation.contributions.map((c: { id: string }) => c.id),
        [second],
      );
      const kinds = (await entriesSince(h, from)).map((e: { kind: string }) => e.kind);
      for (const kind of ['appeal.filed', 'appeal.decided', 'credit.changed']) {
        assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);
      }
      const again = await decide(filed.body.id, 'upheld');
      assert.deepEqual(
        [again.status, again.body.error, again.body.message],
        [409, 'no_pending_appeal', 'this credit contribution has no pending appeal'],
      );

      assert.deepEqual(await deadlines(), { [second]: thirtyDays });
      const kept = await appeal(second);
      assert.deepEqual(await deadlines(), { [second]: undefined });
      const upheld = await decide(kept.body.id, 'upheld');
      assert.equal(upheld.body.status, 'upheld');
      assert.equal((await credit(eve)).score, 910);
    });

    test('what is not a direct contribution, another’s, or late: clear errors, nothing written', async () => {
      const dora = await enrol('dora');
      const subject = await h.token({ role: 'subject', subject: dora });
      await send([event('d1', 'helping_others', 1, 'dora'), event('d2', 'fraud', 1, 'dora')]);
      await decideReport('dora', 'identity_theft', 'witness3');
      const contributions = (await h.call('GET', `/v1/subjects/${dora}/credit`, { token: subject })).body
        .explanation.contributions as { id: string; cause: { kind: string; category?: string } }[];
      const of = (kind: string, category?: string) =>
        contributions.find(
          (c) => c.cause.kind === kind && (category === undefined || c.cause.category === category),
        )!.id;
      const appeal = (id: string, token = subject) =>
        h.call('POST', '/v1/appeals', {
          token,
          body: { target: { kind: 'contribution', id }, reason: 'No' },
        });
      // Only the world's fraud event has a deadline in her record.
      const shown = (await h.call('GET', '/v1/me', { token: subject })).body.credit.explanation.contributions;
      assert.deepEqual(
        shown
          .filter((c: { appealDeadline?: string }) => c.appealDeadline !== undefined)
          .map((c: { id: string }) => c.id),
        [of('event', 'fraud')],
      );
      const other = await h.token({ role: 'subject', subject: f.tom });
      const before = await h.snapshot();
      const refusals: [string, number, string, RegExp][] = [
        [of('event', 'helping_others'), 409, 'not_appealable', /without a decision/],
        [of('case'), 409, 'not_appealable', /appeal the case/],
        [of('sanction'), 409, 'not_appealable', /appeal the sanction|appeal the case/],
        ['crd_000000000000000000000', 404, 'contribution_not_found', /no credit contribution/],
      ];
      for (const [id, status, error, message] of refusals) {
        const refused = await appeal(id);
        assert.deepEqual([refused.status, refused.body.error], [status, error], id);
        assert.match(refused.body.message, message);
      }
      const notHis = await appeal(of('event', 'fraud'), other);
      assert.deepEqual([notHis.status, notHis.body.error], [404, 'contribution_not_found']);
      const malformed = await appeal('crd_short');
      assert.deepEqual([malformed.status, malformed.body.error], [400, 'invalid_request']);
      // The window (the policy's 30 days) runs from when mdis recorded it.
      clock += 31 * dayMs;
      const late = await appeal(of('event', 'fraud'));
      assert.deepEqual([late.status, late.body.error], [422, 'appeal_window_expired']);
      assert.equal(await h.snapshot(), before);
    });
  },
  { config: { policyFile }, now: () => new Date(clock) },
);

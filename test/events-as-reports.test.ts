import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { dayMs } from '../src/util/time.ts';
import { conductFixture } from './_fixtures.ts';
import { forEachStore, personEnrolment } from './_util.ts';

let clock = Date.parse('2026-06-01T12:00:00Z');

// Issue 14: a negative conduct event is a report, not a score change; positive events count at
// once, capped per world and period (policy/default.json: 50 points in 30 days; helping_others
// at severity 3 is +10, fraud at severity 5 is −250).
forEachStore(
  'conduct events: negative ones become reports, positive ones are capped',
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
    const credit = async (subject: string) =>
      (await h.call('GET', `/v1/subjects/${subject}/credit`, { token: f.moderator })).body;
    const air = async (subject: string) =>
      (await h.call('GET', `/v1/eligibility?subject=${subject}&action=travel.air`, { token: f.airline }))
        .body;

    before(async () => {
      f = await conductFixture(h);
    });

    test('the stranger: three negative events open one automated case and change nothing until a decision', async () => {
      const stranger = await enrol('stranger');
      const sent = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [1, 2, 3].map((n) => event(`s${n}`, 'fraud', 5, 'stranger')) },
      });
      assert.equal(sent.status, 200);
      assert.equal(sent.body.accepted, 3);
      const caseIds = new Set(sent.body.results.map((r: { caseId: string }) => r.caseId));
      assert.equal(caseIds.size, 1);
      const [caseId] = caseIds;
      assert.match(String(caseId), /^case_/);

      const c = await credit(stranger);
      assert.deepEqual([c.score, c.grade], [1000, 'A']);
      assert.deepEqual(
        c.history.map((e: { cause: string }) => e.cause),
        ['enrolled'],
      );
      assert.deepEqual(await air(stranger), { allowed: true, reason: 'eligible', sanctionIds: [] });

      const opened = (await h.call('GET', `/v1/cases/${caseId}`, { token: f.moderator })).body;
      assert.equal(opened.status, 'open');
      assert.equal(opened.automated, true);
      assert.equal(opened.world, f.world);
      assert.equal(opened.reportCount, 3);
      assert.ok(opened.reports.every((r: { description: string }) => r.description.includes(f.world)));
      const queue = (await h.call('GET', '/v1/cases?status=open', { token: f.moderator })).body;
      assert.ok(queue.items.some((i: { id: string }) => i.id === caseId));

      // The same event sent again is a duplicate and files no second report.
      const again = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [event('s1', 'fraud', 5, 'stranger')] },
      });
      assert.equal(again.body.duplicates, 1);
      assert.equal((await h.call('GET', `/v1/cases/${caseId}`, { token: f.moderator })).body.reportCount, 3);

      // Only a moderator's decision changes the score: −250, and 8 strikes reach the ban, −200.
      const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
        token: f.moderator,
        body: { outcome: 'upheld', severity: 5, rationale: 'The scams are confirmed by the bank' },
      });
      assert.equal(decided.status, 200);
      const after = await credit(stranger);
      assert.deepEqual([after.score, after.grade], [550, 'D']);
      assert.deepEqual(await air(stranger), { allowed: false, reason: 'grade', sanctionIds: [] });
    });

    test('a dismissed automated case leaves the score as it was', async () => {
      const subject = await enrol('quiet');
      const sent = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [event('q1', 'spam', 2, 'quiet')] },
      });
      const caseId = sent.body.results[0].caseId;
      const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
        token: f.moderator,
        body: { outcome: 'dismissed', rationale: 'The filter misfired' },
      });
      assert.equal(decided.status, 200);
      assert.equal((await credit(subject)).score, 1000);
    });

    test('positive events count at once, up to the cap of their world in the period', async () => {
      const helper = await enrol('helper');
      const six = [1, 2, 3, 4, 5, 6].map((n) => event(`h${n}`, 'helping_others', 3, 'helper'));
      const sent = await h.call('POST', '/v1/events', { token: f.platform, body: { events: six } });
      assert.equal(sent.body.accepted, 6);
      assert.deepEqual(
        sent.body.results.map((r: { points: number }) => r.points),
        [10, 10, 10, 10, 10, 0],
      );
      assert.equal((await credit(helper)).score, 1050);
      // A later period has room again.
      clock += 31 * dayMs;
      const later = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [event('h7', 'helping_others', 3, 'helper')] },
      });
      assert.equal(later.body.results[0].points, 10);
    });
  },
  { now: () => new Date(clock) },
);

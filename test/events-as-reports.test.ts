import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { dayMs } from '../src/util/time.ts';
import { conductFixture } from './_fixtures.ts';
import { race } from './_race.ts';
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

      // Only a moderator's decision changes the score: −250, and its 5 strikes reach a 14-day
      // suspension in the world, −20. One decision is no longer a ban, nor a grade D.
      const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
        token: f.moderator,
        body: { outcome: 'upheld', severity: 5, rationale: 'The scams are confirmed by the bank' },
      });
      assert.equal(decided.status, 200);
      const after = await credit(stranger);
      assert.deepEqual([after.score, after.grade], [730, 'C']);
      assert.deepEqual(await air(stranger), { allowed: true, reason: 'eligible', sanctionIds: [] });
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

    test('two batches racing to open the same case: both are accepted, into one case', async () => {
      const racer = await enrol('racer');
      const batch = (id: string) =>
        h.call('POST', '/v1/events', {
          token: f.platform,
          body: { events: [event(id, 'spam', 1, 'racer')] },
        });
      const at = new Date(clock).toISOString();
      const both = await race(
        h,
        {
          // Another instance opening the case: its row, not yet committed.
          hold: (trx) =>
            trx
              .insertInto('cases')
              .values({
                ...{ id: 'case_heldheldheldheld', world_id: f.world, handle: 'racer', subject_id: racer },
                ...{ category: 'spam', status: 'open', report_count: 0, opened_at: at, updated_at: at },
                ...{
                  outcome: null,
                  severity: null,
                  sealed_rationale: null,
                  decided_at: null,
                  decided_by: null,
                },
                ...{
                  appeal_status: null,
                  sealed_appeal: null,
                  appealed_at: null,
                  sealed_appeal_rationale: null,
                },
                ...{ appeal_decided_at: null, appeal_decided_by: null, automated: 1 },
              })
              .execute(),
          waiting: 'insert into "cases"',
          count: 2,
        },
        () => Promise.all([batch('r1'), batch('r2')]),
      );
      assert.deepEqual(
        both.map((r) => [r.status, r.body.accepted]),
        [
          [200, 1],
          [200, 1],
        ],
        JSON.stringify(both.map((r) => r.body)),
      );
      const [a, b] = both.map((r) => r.body.results[0].caseId as string);
      assert.equal(a, b);
      const opened = (await h.call('GET', `/v1/cases/${a}`, { token: f.moderator })).body;
      assert.equal(opened.reportCount, 2);
    });

    test('two batches at once cannot pass the cap together', async () => {
      const capper = await enrol('capper');
      const batch = (prefix: string) =>
        h.call('POST', '/v1/events', {
          token: f.platform,
          body: { events: [1, 2, 3, 4, 5].map((n) => event(`${prefix}${n}`, 'helping_others', 3, 'capper')) },
        });
      const both = await race(
        h,
        {
          // Another batch adding to the same subject: its score row, not yet committed.
          hold: (trx) =>
            trx
              .updateTable('credit_scores')
              .set({ updated_at: 'held' })
              .where('subject_id', '=', capper)
              .execute(),
          waiting: 'update "credit_scores"',
          count: 2,
        },
        () => Promise.all([batch('ca'), batch('cb')]),
      );
      const counted = both.flatMap((r) => r.body.results.map((x: { points: number }) => x.points));
      assert.equal(
        counted.reduce((sum: number, p: number) => sum + p, 0),
        50,
        JSON.stringify(counted),
      );
      assert.equal((await credit(capper)).score, 1050);
    });
  },
  { now: () => new Date(clock) },
);

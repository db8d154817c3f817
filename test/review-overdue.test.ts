import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { scheduledJobs } from '../src/context.ts';
import {
  accessFixture,
  commitsTo,
  emergency,
  entriesSince,
  hourMs,
  logSize,
  MovableClock,
} from './_access.ts';
import { forEachStore } from './_util.ts';

// Issue 13, part 6: past its review deadline unreviewed, an emergency disclosure stops reading
// until oversight confirms it, and the deadline's passing is logged once, by whoever sees it
// first: the scheduled pass or a read. The clock stands still between moves: no test sleeps.

const clock = new MovableClock({ frozen: true });
const reviewHours = 72;

forEachStore(
  'an overdue emergency review stops access',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    const get = (id: string, token = f.authority) => h.call('GET', `/v1/disclosures/${id}`, { token });
    const decide = (id: string, verdict: 'approve' | 'refuse') =>
      h.call('POST', `/v1/disclosures/${id}/${verdict}`, { token: f.oversight, body: { reason: verdict } });
    const granted = async () => {
      const asked = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: await f.withCase(emergency(clock)),
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'granted');
      return asked.body.id as string;
    };
    const pass = scheduledJobs;
    const logOverdue = () =>
      pass(h.ctx)
        .find((job) => job.name === 'log overdue reviews')!
        .run();
    const reads = async (id: string) =>
      (await h.ctx.db.selectFrom('disclosure_reads').select('id').where('disclosure_id', '=', id).execute())
        .length;

    before(async () => {
      clock.reset();
      f = await accessFixture(h);
    });

    test('a read past the deadline is refused, logging the deadline’s passing once; oversight confirming restores it', async () => {
      const id = await granted();
      clock.advance(reviewHours * hourMs - 1000);
      assert.equal((await get(id)).body.identity.found, true, 'read up to the deadline');
      assert.equal(await logOverdue(), 0, 'the pass logs nothing before the deadline');
      clock.advance(1000);

      const size = await logSize(h);
      const refused = await get(id);
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.error, 'review_overdue');
      assert.equal(Date.parse(refused.body.reviewDueAt), clock.now().getTime());
      assert.equal(refused.body.identity, undefined);
      assert.equal(await reads(id), 1, 'the refused read is not recorded as a read');
      const logged = await entriesSince(h, size);
      assert.deepEqual(
        logged.map((e) => [e.kind, e.actor, e.refs.disclosure, e.refs.reason]),
        [
          ['disclosure.review_overdue', 'system', id, undefined],
          ['disclosure.read_refused', f.authorityId, id, 'review_overdue'],
        ],
      );
      assert.ok(
        await commitsTo(h, logged[0], 'subject', f.tom),
        'the entry names the disclosure and commits to its subject',
      );

      // Again, and the pass after it: the deadline's passing is not logged twice.
      const again = await logSize(h);
      assert.equal((await get(id)).status, 422);
      assert.equal(await logOverdue(), 0);
      assert.deepEqual(
        (await entriesSince(h, again)).map((e) => e.kind),
        ['disclosure.read_refused'],
      );
      // Oversight and auditors still see it; its list marks it overdue.
      assert.equal((await get(id, f.oversight)).body.overdue, true);
      assert.equal((await get(id, f.auditor)).status, 200);

      const confirmed = await decide(id, 'approve');
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      const late = await logSize(h);
      const restored = await get(id);
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      assert.equal(restored.body.identity.found, true);
      assert.equal(restored.body.overdue, false);
      assert.equal(await reads(id), 2);
      assert.deepEqual(
        (await entriesSince(h, late)).map((e) => e.kind),
        ['disclosure.read'],
      );
    });

    test('the scheduled pass logs the passing first, once; the read then only logs its refusal', async () => {
      const id = await granted();
      clock.advance(reviewHours * hourMs + 1000);
      const size = await logSize(h);
      assert.equal(await logOverdue(), 1);
      assert.equal(await logOverdue(), 0, 'once');
      const logged = await entriesSince(h, size);
      assert.deepEqual(
        logged.map((e) => [e.kind, e.actor, e.refs.disclosure]),
        [['disclosure.review_overdue', 'system', id]],
      );
      const read = await logSize(h);
      assert.equal((await get(id)).body.error, 'review_overdue');
      assert.deepEqual(
        (await entriesSince(h, read)).map((e) => e.kind),
        ['disclosure.read_refused'],
      );
      // Refused on review: it stays closed, and reading discloses nothing (not even a refusal to log).
      assert.equal((await decide(id, 'refuse')).body.status, 'refused');
      const after = await logSize(h);
      const closed = await get(id);
      assert.equal(closed.status, 200);
      assert.equal(closed.body.identity, undefined);
      assert.equal(await logSize(h), after);
    });

    test('a review on time logs no overdue, ever', async () => {
      const id = await granted();
      clock.advance(hourMs);
      assert.equal((await decide(id, 'approve')).status, 200);
      clock.advance(reviewHours * hourMs);
      const size = await logSize(h);
      assert.equal(await logOverdue(), 0);
      assert.equal((await get(id)).body.identity.found, true);
      assert.deepEqual(
        (await entriesSince(h, size)).map((e) => e.kind),
        ['disclosure.read'],
      );
    });

    test('a late review that comes before any pass or read logs the passing itself', async () => {
      const id = await granted();
      clock.advance(reviewHours * hourMs + 1000);
      const size = await logSize(h);
      assert.equal((await decide(id, 'approve')).status, 200);
      assert.deepEqual(
        (await entriesSince(h, size)).map((e) => [e.kind, e.refs.disclosure, e.refs.late]),
        [
          ['disclosure.review_overdue', id, undefined],
          ['disclosure.approved', id, true],
        ],
      );
      assert.equal(await logOverdue(), 0);
    });
  },
  { now: clock.now },
);

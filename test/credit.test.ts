import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { dayMs as day } from '../src/util/time.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { bindByConsent } from './_people.ts';
import { forEachStore, personEnrolment } from './_util.ts';

let clock = Date.now();

// Expectations are computed by hand from policy/default.json: base 1000; spreading_rumors at
// severity 2 is −55 (civic, half-life 120 days); a suspension and a restriction are −20 each
// (compliance); helping_others at severity 3 is +10 (civic); fraud at severity 5 is −250 (commerce), identity_theft at 5 −260 (compliance); 5 strikes a decision at severity 5.
forEachStore(
  'credit: scores, grades, ranks and explanations',
  (h) => {
    let f: Awaited<ReturnType<typeof conductFixture>>;
    const credit = async (token = f.moderator, subject = f.tom) =>
      (await h.call('GET', `/v1/subjects/${subject}/credit`, { token })).body;
    const event = (id: string, category: string, severity: number, handle = 'tom') => ({
      id,
      world: f.world,
      handle,
      category,
      severity,
      occurredAt: new Date(clock - 60_000).toISOString(),
    });

    before(async () => {
      f = await conductFixture(h);
      await bindReporters(h, f.world, ['alice']);
    });

    test('a new subject starts at the base score, grade A', async () => {
      const c = await credit();
      assert.equal(c.score, 1000);
      assert.equal(c.grade, 'A');
      assert.deepEqual(
        c.dimensions.map((d: { name: string; points: number }) => [d.name, d.points]),
        [
          ['conduct', 0],
          ['commerce', 0],
          ['civic', 0],
          ['compliance', 0],
        ],
      );
      assert.deepEqual(
        c.history.map((e: { cause: string }) => e.cause),
        ['enrolled'],
      );
    });

    test('Tom’s upheld case: 1000 → 945 → 925 → 905, grade A → B, every point explained', async () => {
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: report(f.world, 'alice'),
      });
      const decided = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
        token: f.moderator,
        body: {
          outcome: 'upheld',
          severity: 2,
          rationale: 'Rumours that started a bank run',
          sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
        },
      });
      assert.equal(decided.status, 200);
      const c = await credit();
      assert.equal(c.score, 905);
      assert.equal(c.grade, 'B');
      const points = Object.fromEntries(
        c.dimensions.map((d: { name: string; points: number }) => [d.name, d.points]),
      );
      assert.deepEqual(points, { conduct: 0, commerce: 0, civic: -55, compliance: -40 });
      assert.deepEqual(
        c.history.map((e: { score: number }) => e.score),
        [905, 925, 945, 1000],
      );
      const causes = c.explanation.contributions.map((x: { cause: { kind: string }; points: number }) => [
        x.cause.kind,
        x.points,
      ]);
      assert.deepEqual(causes.sort(), [
        ['case', -55],
        ['sanction', -20],
        ['sanction', -20],
      ]);
      const rumor = c.explanation.contributions.find(
        (x: { cause: { kind: string } }) => x.cause.kind === 'case',
      );
      assert.equal(rumor.cause.category, 'spreading_rumors');
      assert.equal(rumor.cause.id, filed.body.caseId);
      assert.equal(rumor.currentPoints, -55);
      // −55 halves every 120 days and stops counting below 1 point: after 6 half-lives (−0.86).
      const expected = Math.ceil(120 * Math.log2(55)) + Math.floor(clock / day);
      assert.equal(rumor.expiresOn, new Date(expected * day).toISOString().slice(0, 10));
      assert.equal(c.explanation.toRaise.decaying.length, 3);
      assert.deepEqual(
        c.explanation.toRaise.positiveConduct.map((p: { category: string }) => p.category),
        ['volunteering', 'helping_others', 'honest_trade'],
      );
      assert.equal((await h.call('GET', '/v1/me', { token: f.subject })).body.credit.score, 905);
    });

    test('positive conduct raises it; an overturned appeal takes the case and its sanctions back out', async () => {
      const sent = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [event('h1', 'helping_others', 3)] },
      });
      assert.equal(sent.body.accepted, 1);
      assert.equal((await credit()).score, 915);
      const me = (await h.call('GET', '/v1/me', { token: f.subject })).body;
      const caseId = me.cases[0].id;
      await h.call('POST', `/v1/cases/${caseId}/appeal`, {
        token: f.subject,
        body: { reason: 'It was true' },
      });
      await h.call('POST', `/v1/cases/${caseId}/appeal/decision`, {
        token: f.reviewer,
        body: { outcome: 'overturned', rationale: 'It was true' },
      });
      const c = await credit();
      assert.equal(c.score, 1010);
      assert.equal(c.grade, 'A');
      assert.equal(c.history[0].cause, `appeal:${caseId}`);
    });

    test('decay halves an impact every half-life and the daily pass applies it', async () => {
      const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
      const code = enrolled.body.activation.code;
      await bindByConsent(h, { admin: f.admin, world: f.world, handle: 'dora', code });
      // A negative event changes no score by itself: it opens a case, which a moderator upholds.
      const sent = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [event('d1', 'spreading_rumors', 2, 'dora')] },
      });
      assert.equal((await credit(f.moderator, enrolled.body.id)).score, 1000);
      await h.call('POST', `/v1/cases/${sent.body.results[0].caseId}/decision`, {
        token: f.moderator,
        body: { outcome: 'upheld', severity: 2, rationale: 'Rumours about a rival' },
      });
      // −55 (civic) and the ladder's 2-day suspension at 2 strikes, −20 (compliance).
      assert.equal((await credit(f.moderator, enrolled.body.id)).score, 925);
      clock += 120 * day;
      await h.ctx.credit.refreshStale();
      // −27.5 (civic, one half-life of 120 days) and −20 × 2^(−120/365) = −15.92 (compliance):
      // 956.58 rounds to 957, grade B.
      const c = await credit(f.moderator, enrolled.body.id);
      assert.deepEqual([c.score, c.grade, c.history[0].cause], [957, 'B', 'decay']);
    });

    test('grade D denies air travel and credit with the reason "grade"', async () => {
      const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
      const id = enrolled.body.id;
      const code = enrolled.body.activation.code;
      await bindByConsent(h, { admin: f.admin, world: f.world, handle: 'mallory', code });
      const frauds = [1, 2].map((n) => event(`f${n}`, 'fraud', 5, 'mallory'));
      const theft = event('t1', 'identity_theft', 5, 'mallory');
      const sent = await h.call('POST', '/v1/events', {
        token: f.platform,
        body: { events: [...frauds, theft] },
      });
      const caseId = sent.body.results[0].caseId;
      assert.equal(sent.body.results[1].caseId, caseId);
      for (const [decided, rationale] of [
        [caseId, 'Two scams, confirmed'],
        [sent.body.results[2].caseId, 'Used another’s credentials'],
      ]) {
        await h.call('POST', `/v1/cases/${decided}/decision`, {
          token: f.moderator,
          body: { outcome: 'upheld', severity: 5, rationale },
        });
      }
      // Fraud at severity 5 is −250, identity theft −260; their 5 strikes each reach a 14-day,
      // then a 30-day suspension, −20 each. No ban: that takes three such decisions.
      const c = await credit(f.moderator, id);
      assert.deepEqual([c.score, c.grade], [450, 'D']);
      const air = await h.call('GET', `/v1/eligibility?subject=${id}&action=travel.air`, {
        token: f.airline,
      });
      assert.deepEqual(air.body, { allowed: false, reason: 'grade', sanctionIds: [] });
      // The index as a restart builds it, from the store.
      await h.ctx.eligibility.rebuild();
      const afterRestart = await h.call('GET', `/v1/eligibility?subject=${id}&action=travel.air`, {
        token: f.airline,
      });
      assert.deepEqual(afterRestart.body, air.body);
      const rail = await h.call('GET', `/v1/eligibility?subject=${id}&action=travel.rail`, {
        token: f.airline,
      });
      assert.equal(rail.body.allowed, true);
    });

    test('rank and percentile among the same kind; ranking and distribution', async () => {
      const persons = (await h.call('GET', '/v1/credit/ranking?kind=person&limit=2', { token: f.admin }))
        .body;
      // Persons: Tom 1005 (his +10 has decayed to +5 over the 120 days), Dora 957, Mallory 450.
      assert.deepEqual(
        persons.items.map((i: { score: number; rank: number }) => [i.score, i.rank]),
        [
          [1005, 1],
          [957, 2],
        ],
      );
      const next = (
        await h.call('GET', `/v1/credit/ranking?kind=person&limit=2&cursor=${persons.cursor}`, {
          token: f.admin,
        })
      ).body;
      assert.deepEqual(
        next.items.map((i: { score: number; rank: number }) => [i.score, i.rank]),
        [[450, 3]],
      );
      assert.equal(next.cursor, undefined);
      const tom = await credit();
      assert.deepEqual([tom.rank, tom.of, tom.percentile], [1, 3, 83.3]);
      const d = (await h.call('GET', '/v1/credit/distribution?kind=person', { token: f.moderator })).body;
      assert.equal(d.total, 3);
      const grades = Object.fromEntries(
        d.grades.map((g: { grade: string; count: number }) => [g.grade, g.count]),
      );
      assert.deepEqual(grades, { AAA: 0, AA: 0, A: 1, B: 1, C: 0, D: 1 });
      // Every band from floor (0) to ceiling (1300) in steps of 50, the empty ones at 0.
      assert.equal(d.bands.length, 27);
      assert.deepEqual(d.bands.map((b: { min: number; max: number }) => [b.min, b.max]).slice(0, 2), [
        [0, 49],
        [50, 99],
      ]);
      assert.deepEqual(d.bands.at(-1), { min: 1300, max: 1349, count: 0 });
      assert.deepEqual(
        d.bands
          .filter((b: { count: number }) => b.count > 0)
          .map((b: { min: number; count: number }) => [b.min, b.count]),
        [
          [450, 1],
          [950, 1],
          [1000, 1],
        ],
      );
    });

    test('a subject reads only its own credit', async () => {
      const other = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
      const before = await h.snapshot();
      const refused = await h.call('GET', `/v1/subjects/${other.body.id}/credit`, { token: f.subject });
      assert.equal(refused.status, 403);
      assert.equal(await h.snapshot(), before);
      assert.equal((await h.call('GET', `/v1/subjects/${f.tom}/credit`, { token: f.subject })).status, 200);
    });
  },
  { now: () => new Date(clock) },
);

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recomputeAll } from '../src/credit/recompute.ts';
import type { Enrolment } from '../src/identity/attributes.ts';
import { dayMs as day } from '../src/util/time.ts';
import { forEachStore, type Harness, personEnrolment } from './_util.ts';

let clock = Date.now();

/** A small seeded generator (mulberry32), so a failing history can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const scores = (h: Harness) =>
  h.ctx.db
    .selectFrom('credit_scores')
    .select(['subject_id', 'score', 'grade', 'dimensions'])
    .orderBy('subject_id')
    .execute();

/** Plays a random history through the services: events, decisions, sanctions, appeals, days passing. */
async function playHistory(h: Harness, seed: number): Promise<void> {
  const rng = random(seed);
  const { ctx } = h;
  const world = `w${seed}`;
  await ctx.worlds.create({ id: world, name: world }, 'test');
  const handles: string[] = [];
  for (let i = 0; i < 12; i++) {
    const subject = await ctx.subjects.enrol(personEnrolment() as Enrolment, 'test');
    await ctx.avatars.bind({ world, handle: `a${i}`, subject: subject.id }, 'test');
    handles.push(`a${i}`);
  }
  const categories = Object.entries(ctx.policy.document.categories);
  const decided: { caseId: string; at: number }[] = [];
  for (let step = 0; step < 120; step++) {
    const roll = rng.next();
    const handle = rng.pick(handles);
    const [category, spec] = rng.pick(categories);
    const severity = 1 + rng.int(spec.maxSeverity);
    if (roll < 0.5) {
      const occurredAt = new Date(clock - rng.int(400) * day - rng.int(day)).toISOString();
      const id = `s${seed}-${step}`;
      await ctx.events.ingest([{ id, world, handle, category, severity, occurredAt }], platform(world), {
        atomic: false,
      });
    } else if (roll < 0.75 && spec.polarity === 'negative') {
      const filed = await ctx.reports.file(
        {
          world,
          handle,
          category,
          // Another of the world's avatars (a reporter is a bound avatar, never the one reported).
          reporter: handles[(handles.indexOf(handle) + 1) % handles.length]!,
          description: 'x',
          evidence: [],
          occurredAt: new Date(clock).toISOString(),
        },
        'test',
      );
      const restrict =
        rng.next() < 0.4 ? [{ kind: 'restriction' as const, actions: ['travel.air'], days: 30 }] : [];
      await ctx.decisions.decide(
        filed.caseId,
        { outcome: 'upheld', severity, rationale: 'x', sanctions: restrict },
        'mod',
      );
      decided.push({ caseId: filed.caseId, at: clock });
    } else if (roll < 0.85 && decided.some((d) => clock - d.at < 30 * day)) {
      // Appeals are open for 30 days under the default policy.
      const open = decided.filter((d) => clock - d.at < 30 * day);
      const { caseId } = open[rng.int(open.length)]!;
      decided.splice(
        decided.findIndex((d) => d.caseId === caseId),
        1,
      );
      const row = await ctx.cases.row(caseId);
      await ctx.decisions.appeal(caseId, 'appeal', row.subject_id, 'test');
      const outcome = rng.next() < 0.7 ? 'overturned' : 'upheld';
      // Heard by someone other than who decided (issue 14).
      await ctx.decisions.decideAppeal(caseId, { outcome, rationale: 'x' }, 'reviewer');
    } else {
      clock += rng.int(60) * day;
      // Sometimes the daily pass runs, sometimes the next event finds the score a day behind.
      if (rng.next() < 0.5) await ctx.credit.refreshStale();
    }
  }
  await ctx.credit.refreshStale();
}

function platform(world: string) {
  return {
    id: 'test',
    role: 'platform' as const,
    name: 'p',
    world,
    actions: undefined,
    jurisdiction: undefined,
    organisation: undefined,
    subject: undefined,
  };
}

forEachStore(
  'credit: the incremental path and a full recompute agree',
  (h) => {
    for (const seed of [1, 2, 3]) {
      test(`random history, seed ${seed}`, async () => {
        await playHistory(h, seed);
        const incremental = await scores(h);
        assert.ok(
          incremental.some((s) => s.score !== 1000),
          'the history moved some scores',
        );
        const result = await recomputeAll({
          store: h.ctx.store,
          ledger: h.ctx.ledger,
          eligibility: h.ctx.eligibility,
          model: h.ctx.credit.model,
          now: new Date(clock),
          cause: 'test',
        });
        assert.equal(result.changed, 0);
        assert.deepEqual(await scores(h), incremental);
      });
    }

    test('a recompute after the policy changed does change scores', async () => {
      const before = await scores(h);
      const document = structuredClone(h.ctx.policy.document);
      for (const category of Object.values(document.categories))
        category.points = category.points.map((p) => p * 2);
      const { parsePolicy } = await import('../src/policy/policy.ts');
      const { CreditModel } = await import('../src/credit/model.ts');
      const result = await recomputeAll({
        store: h.ctx.store,
        ledger: h.ctx.ledger,
        eligibility: h.ctx.eligibility,
        model: new CreditModel(parsePolicy(document)),
        now: new Date(clock),
        cause: 'policy',
      });
      assert.ok(result.changed > 0);
      assert.notDeepEqual(await scores(h), before);

      // Each score is what the new model gives the subject's contributions, one by one.
      const model = new CreditModel(parsePolicy(document));
      const { dayOf } = await import('../src/credit/model.ts');
      for (const row of await scores(h)) {
        const expected = model.evaluate(await h.ctx.credit.contributions(row.subject_id), dayOf(clock));
        assert.equal(row.score, expected.score, row.subject_id);
        assert.equal(row.grade, expected.grade, row.subject_id);
        assert.deepEqual(JSON.parse(row.dimensions), expected.dimensions, row.subject_id);
      }
      const logged = await h.ctx.db
        .selectFrom('ledger_entries')
        .select('entry')
        .where('entry', 'like', '%"cause":"policy"%')
        .execute();
      assert.equal(logged.length, result.changed);
    });

    // A subject whose score row is gone, though its contributions are not: nothing the services
    // do leaves this, and scoring on would give every later subject of its batch a wrong score.
    // The first and the last subject by id: the last one's contributions lie past every batch.
    for (const [which, order] of [
      ['first', 'asc'],
      ['last', 'desc'],
    ] as const)
      test(`a recompute that meets a damaged store (the ${which} subject unscored) stops, says why, and writes nothing`, async () => {
        const { subject_id: subject } = await h.ctx.db
          .selectFrom('credit_contributions')
          .select('subject_id')
          .where('status', '=', 'active')
          .orderBy('subject_id', order)
          .limit(1)
          .executeTakeFirstOrThrow();
        const row = await h.ctx.db
          .selectFrom('credit_scores')
          .selectAll()
          .where('subject_id', '=', subject)
          .executeTakeFirstOrThrow();
        await h.ctx.db.deleteFrom('credit_scores').where('subject_id', '=', subject).execute();
        try {
          const before = await h.snapshot();
          await assert.rejects(
            recomputeAll({
              store: h.ctx.store,
              ledger: h.ctx.ledger,
              eligibility: h.ctx.eligibility,
              model: h.ctx.credit.model,
              now: new Date(clock + 400 * day),
              cause: 'test',
            }),
            new RegExp(`contribution of ${subject} not paired with a score row`),
          );
          assert.equal(await h.snapshot(), before);
        } finally {
          await h.ctx.db.insertInto('credit_scores').values(row).execute();
        }
      });
  },
  { now: () => new Date(clock) },
);

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PolicyDocument } from '../src/policy/policy.ts';
import { dayMs } from '../src/util/time.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore, type Harness } from './_util.ts';

// The strike ladder through the API: decisions add strikes, the ladder turns totals into
// suspensions and a ban, strikes and sanctions expire with the server's clock, and an overturned
// appeal takes its strikes back. Every number comes from the loaded policy.

type Fixture = Awaited<ReturnType<typeof conductFixture>>;
type Step = PolicyDocument['strikes']['ladder'][number];

const eligible = { allowed: true, reason: 'eligible', sanctionIds: [] };

/** The server's clock: it stands still unless a test moves it, so that boundaries are exact. */
const clock = { ms: Date.now(), now: () => new Date(clock.ms) };

/** The step a decision taking active strikes from `before` to `after` imposes: the highest crossed. */
function stepCrossed(ladder: readonly Step[], before: number, after: number): Step | undefined {
  return ladder.filter((step) => step.atStrikes > before && step.atStrikes <= after).at(-1);
}

/** Files a report about Tom and upholds its case at `severity`; returns the case id. */
async function uphold(h: Harness, f: Fixture, severity: number, category?: string): Promise<string> {
  const occurredAt = new Date(clock.ms - 60_000).toISOString();
  const filed = await h.call('POST', '/v1/reports', {
    token: f.platform,
    body: { ...report(f.world, 'alice', category), occurredAt },
  });
  assert.equal(filed.status, 202, JSON.stringify(filed.body));
  const decided = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
    token: f.moderator,
    body: { outcome: 'upheld', severity, rationale: 'Claimed the plaza bank was insolvent' },
  });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  return filed.body.caseId;
}

/** Tom's strikes as he sees them: the active total and every strike. */
async function strikes(
  h: Harness,
  f: Fixture,
): Promise<{ active: number; history: { caseId: string; status: string }[] }> {
  const me = await h.call('GET', '/v1/me', { token: f.subject });
  assert.equal(me.status, 200);
  return me.body.strikes;
}

async function ladderSanctions(h: Harness, f: Fixture, caseId: string) {
  const listed = await h.call('GET', `/v1/sanctions?subject=${f.tom}&limit=200`, { token: f.moderator });
  assert.equal(listed.status, 200);
  return listed.body.items.filter(
    (s: { caseId?: string; source: string }) => s.caseId === caseId && s.source === 'ladder',
  );
}

/** Asserts that the case imposed just the ladder sanction `step` names (none when undefined). */
async function assertLadderSanction(h: Harness, f: Fixture, caseId: string, step: Step | undefined) {
  const imposed = await ladderSanctions(h, f, caseId);
  if (step === undefined) {
    assert.deepEqual(imposed, [], 'no step crossed: no ladder sanction');
    return undefined;
  }
  assert.equal(imposed.length, 1, `step ${step.atStrikes}: one ladder sanction`);
  const [sanction] = imposed;
  assert.equal(sanction.kind, step.sanction, `step ${step.atStrikes}`);
  assert.equal(sanction.startsAt, clock.now().toISOString());
  if (step.sanction === 'ban') {
    assert.equal(sanction.endsAt, undefined, 'a ban holds until lifted');
    assert.equal(sanction.world, undefined, 'a ban holds in every world');
  } else {
    assert.equal(sanction.world, f.world, 'a suspension holds in the case’s world');
    assert.equal(Date.parse(sanction.endsAt) - Date.parse(sanction.startsAt), step.days! * dayMs);
  }
  return sanction;
}

async function enter(h: Harness, platform: string, subject: string) {
  const answer = await h.call('GET', `/v1/eligibility?subject=${subject}&action=world.enter`, {
    token: platform,
  });
  assert.equal(answer.status, 200);
  return answer.body;
}

async function otherWorld(h: Harness, f: Fixture, id: string): Promise<string> {
  const created = await h.call('POST', '/v1/worlds', { token: f.admin, body: { id, name: id } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.platform.token;
}

forEachStore(
  'strikes: the ladder, expiry of strikes and sanctions, appeals',
  (h) => {
    test('successive upheld decisions cross the ladder’s steps in order, up to a ban in every world', async () => {
      const f = await conductFixture(h, 'ladder-climb');
      await bindReporters(h, f.world, ['alice']);
      const { perSeverity, ladder } = h.ctx.policy.document.strikes;
      assert.equal(perSeverity['1'], 1, 'one strike a decision, so that each step is crossed on its own');
      const top = ladder.at(-1)!;
      assert.equal(top.sanction, 'ban');

      const crossed: number[] = [];
      for (let total = 0; total < top.atStrikes; total++) {
        clock.ms += 60_000;
        const caseId = await uphold(h, f, 1);
        assert.equal((await strikes(h, f)).active, total + 1);
        const step = stepCrossed(ladder, total, total + 1);
        const sanction = await assertLadderSanction(h, f, caseId, step);
        if (step === undefined) continue;
        crossed.push(step.atStrikes);
        const answer = await enter(h, f.platform, f.tom);
        assert.equal(answer.allowed, false);
        assert.equal(answer.reason, step.sanction === 'ban' ? 'banned' : 'suspended');
        assert.ok(answer.sanctionIds.includes(sanction.id));
      }
      assert.deepEqual(
        crossed,
        ladder.map((step) => step.atStrikes),
      );

      // The ban denies entry in the case's world, in another world, and in any a service names.
      const elsewhere = await otherWorld(h, f, 'ladder-climb-elsewhere');
      const service = await h.token({ role: 'service', actions: ['world.enter'] });
      const anyWorld = await h.call(
        'GET',
        `/v1/eligibility?subject=${f.tom}&action=world.enter&world=never-visited`,
        { token: service },
      );
      for (const answer of [
        await enter(h, f.platform, f.tom),
        await enter(h, elsewhere, f.tom),
        anyWorld.body,
      ]) {
        assert.equal(answer.allowed, false);
        assert.equal(answer.reason, 'banned');
      }
    });

    test('a decision that crosses several steps at once imposes only the highest', async () => {
      const f = await conductFixture(h, 'ladder-jump');
      await bindReporters(h, f.world, ['alice']);
      const { categories, strikes: policy } = h.ctx.policy.document;
      const severity = categories.harassment!.maxSeverity;
      const passed = policy.ladder.filter((step) => step.atStrikes <= policy.perSeverity[severity]!);
      assert.ok(passed.length >= 2, 'the policy’s gravest harassment crosses several steps');
      const caseId = await uphold(h, f, severity, 'harassment');
      await assertLadderSanction(h, f, caseId, passed.at(-1));
    });

    test('strikes past the policy’s expiry stop counting: the next decision lands on a lower step', async () => {
      const f = await conductFixture(h, 'ladder-expiry');
      await bindReporters(h, f.world, ['alice']);
      const { perSeverity, ladder, expiresAfterDays } = h.ctx.policy.document.strikes;
      const per = perSeverity['1']!;
      const expiryMs = expiresAfterDays * dayMs;

      const first = clock.ms;
      const firstCase = await uphold(h, f, 1);
      clock.ms += expiryMs / 2;
      const secondCase = await uphold(h, f, 1);
      assert.equal((await strikes(h, f)).active, 2 * per);

      clock.ms = first + expiryMs - 1;
      assert.equal((await strikes(h, f)).active, 2 * per, 'a strike counts until its expiry');
      clock.ms = first + expiryMs + 1;
      const record = await strikes(h, f);
      assert.equal(record.active, per, 'the first strike has expired, the second not');
      assert.deepEqual(
        record.history.map((s) => [s.caseId, s.status]),
        [
          [secondCase, 'active'],
          [firstCase, 'expired'],
        ],
      );

      const lower = stepCrossed(ladder, per, 2 * per);
      const withoutExpiry = stepCrossed(ladder, 2 * per, 3 * per);
      assert.ok(lower !== undefined && withoutExpiry !== undefined);
      assert.ok(lower.atStrikes < withoutExpiry.atStrikes, 'the policy’s ladder tells the two apart');
      const caseId = await uphold(h, f, 1);
      await assertLadderSanction(h, f, caseId, lower);
      assert.equal((await strikes(h, f)).active, 2 * per);
    });

    test('a suspension denies entry to its world until its end, then expires', async () => {
      const f = await conductFixture(h, 'ladder-lapse');
      await bindReporters(h, f.world, ['alice']);
      const elsewhere = await otherWorld(h, f, 'ladder-lapse-elsewhere');
      const caseId = await uphold(h, f, 1);
      const [suspension] = await ladderSanctions(h, f, caseId);
      assert.equal(suspension?.kind, 'suspension');
      assert.deepEqual(await enter(h, f.platform, f.tom), {
        allowed: false,
        reason: 'suspended',
        sanctionIds: [suspension.id],
      });
      assert.deepEqual(await enter(h, elsewhere, f.tom), eligible, 'only in its own world');

      clock.ms = Date.parse(suspension.endsAt) - 1;
      assert.equal((await enter(h, f.platform, f.tom)).allowed, false, 'it holds until its end');

      clock.ms = Date.parse(suspension.endsAt) + 1_000;
      // What a serving instance runs every few seconds (context.ts, startJobs).
      assert.ok((await h.ctx.sanctions.expireDue()) >= 1);
      assert.deepEqual(await enter(h, f.platform, f.tom), eligible);
      const listed = await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator });
      const expired = listed.body.items.find((s: { id: string }) => s.id === suspension.id);
      assert.equal(expired.status, 'expired');
      assert.equal(expired.endedAt, clock.now().toISOString());
      const active = await h.call('GET', `/v1/sanctions?subject=${f.tom}&status=active`, {
        token: f.moderator,
      });
      assert.deepEqual(active.body.items, []);
    });

    test('an overturned decision’s strikes stop counting, in the record and on the ladder', async () => {
      const f = await conductFixture(h, 'ladder-appeal');
      await bindReporters(h, f.world, ['alice']);
      const { perSeverity, ladder } = h.ctx.policy.document.strikes;
      const per = perSeverity['1']!;
      const kept = await uphold(h, f, 1);
      clock.ms += 60_000;
      const overturned = await uphold(h, f, 1);
      assert.equal((await strikes(h, f)).active, 2 * per);

      const appealed = await h.call('POST', `/v1/cases/${overturned}/appeal`, {
        token: f.subject,
        body: { reason: 'The bank’s own filing shows it was insolvent' },
      });
      assert.equal(appealed.status, 200, JSON.stringify(appealed.body));
      const heard = await h.call('POST', `/v1/cases/${overturned}/appeal/decision`, {
        token: f.reviewer,
        body: { outcome: 'overturned', rationale: 'The claim was true' },
      });
      assert.equal(heard.status, 200, JSON.stringify(heard.body));

      const record = await strikes(h, f);
      assert.equal(record.active, per);
      assert.deepEqual(Object.fromEntries(record.history.map((s) => [s.caseId, s.status])), {
        [kept]: 'active',
        [overturned]: 'lifted',
      });
      const [ladderSanction] = await ladderSanctions(h, f, overturned);
      assert.equal(ladderSanction?.status, 'lifted');

      // The next decision counts only the strikes that stand.
      clock.ms += 60_000;
      const next = await uphold(h, f, 1);
      const step = stepCrossed(ladder, per, 2 * per);
      assert.notDeepEqual(step, stepCrossed(ladder, 2 * per, 3 * per));
      await assertLadderSanction(h, f, next, step);
    });
  },
  { now: clock.now },
);

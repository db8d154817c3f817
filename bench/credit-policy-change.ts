// The full recompute when nearly every score changes, as after a policy change (which recomputes at
// start-up): on the target's population, under a policy whose conduct points are all doubled.
import type { AppContext } from '../src/context.ts';
import { CreditModel } from '../src/credit/model.ts';
import { recomputeAll } from '../src/credit/recompute.ts';
import { parsePolicy } from '../src/policy/policy.ts';
import { progress, type Row } from './_measure.ts';

/**
 * Recomputes under the changed policy, then once more under it (nothing changes), and sets the
 * first against the second: the difference is writing the changed scores, their log entries and
 * their history.
 */
export async function recomputeAfterPolicyChange(
  ctx: AppContext,
  target: { seconds: number },
): Promise<{ rows: Row[]; notes: string[] }> {
  const document = structuredClone(ctx.policy.document);
  for (const category of Object.values(document.categories)) {
    category.points = category.points.map((points) => points * 2);
  }
  const options = {
    store: ctx.store,
    ledger: ctx.ledger,
    eligibility: ctx.eligibility,
    model: new CreditModel(parsePolicy(document)),
    cause: 'bench',
  };
  const logBefore = ctx.ledger.size;
  progress('credit: full recompute after a policy change…');
  let started = performance.now();
  const changing = await recomputeAll({ ...options, now: ctx.now() });
  const first = (performance.now() - started) / 1000;
  progress('credit: and again under the same policy…');
  started = performance.now();
  const again = await recomputeAll({ ...options, now: ctx.now() });
  const second = (performance.now() - started) / 1000;
  if (again.changed !== 0) throw new Error(`the second recompute changed ${again.changed} scores`);
  await ctx.ledger.sync();
  const count = (n: number) => n.toLocaleString('en');
  return {
    rows: [
      {
        name: `full recompute after a policy change, ${count(changing.changed)} scores change`,
        value: first,
        unit: 's',
        baseline: 'again, nothing changes',
        baselineValue: second,
        target: { atMost: target.seconds },
      },
    ],
    notes: [
      `policy change: every conduct category's points doubled; ${count(changing.changed)} of ${count(changing.subjects)} scores changed, ${count(changing.gradeChanged.length)} grades; each changed score is an update, a log entry and a history row (${count(ctx.ledger.size - logBefore)} log entries appended): ${((1e6 * (first - second)) / Math.max(1, changing.changed)).toFixed(1)} µs per changed score beyond the recompute that changes nothing`,
    ],
  };
}

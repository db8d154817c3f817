// The full recompute when every score changes (after a policy change, which recomputes at start-up):
// small stores of growing size, each recomputed twice, to show how the cost grows with the number
// of scores that change.
import { recomputeAll } from '../src/credit/recompute.ts';
import { openBenchStore, seeding } from './_fixtures.ts';
import { progress, type Row } from './_measure.ts';
import { fillCredit } from './credit-fill.ts';

/** Subjects of each store; 10 contributions each on average, as at the target's size. */
const sizes = [1_000, 2_000, 4_000];
const eventsPerSubject = 10;
/** The target: 1 M subjects and 10 M contributions in 10 s, scaled linearly to a smaller store. */
const target = { subjects: 1_000_000, seconds: 10 };

interface Run {
  subjects: number;
  changed: number;
  first: number;
  second: number;
}

export async function recomputesThatChange(): Promise<{ rows: Row[]; notes: string[] }> {
  const runs: Run[] = [];
  for (const subjects of sizes) {
    progress(`credit: full recompute of ${subjects.toLocaleString('en')} subjects whose scores all change…`);
    runs.push(await changingRun(subjects));
  }
  const last = runs.at(-1)!;
  const previous = runs.at(-2)!;
  // How the time grows with the scores changed, from the two largest stores; at least linearly,
  // however the fixed costs of small stores make it look.
  const exponent = Math.log(last.first / previous.first) / Math.log(last.changed / previous.changed);
  const extrapolated = last.first * (target.subjects / last.subjects) ** Math.max(1, exponent);
  return {
    rows: [
      {
        name: `full recompute, ${last.changed.toLocaleString('en')} of ${last.subjects.toLocaleString('en')} scores change`,
        value: last.first,
        unit: 's',
        baseline: 'again, nothing changes',
        baselineValue: last.second,
        target: { atMost: (target.seconds * last.subjects) / target.subjects },
      },
    ],
    notes: [
      `every score changes (scores left at the base, ${eventsPerSubject} contributions per subject): ${runs.map((r) => `${r.changed.toLocaleString('en')} changed in ${r.first.toFixed(2)} s`).join(', ')}; ${((1e6 * last.first) / last.changed).toFixed(0)} µs per changed score at the largest; time grows as changed^${exponent.toFixed(2)}, which puts 1 M subjects at ${formatDuration(extrapolated)}; target scaled linearly to ${last.subjects.toLocaleString('en')} subjects`,
    ],
  };
}

async function changingRun(subjects: number): Promise<Run> {
  const store = await openBenchStore();
  try {
    const { ctx } = store;
    await seeding(ctx, async () =>
      fillCredit(ctx.store.sqlite!, ctx.credit.model, {
        subjects,
        events: subjects * eventsPerSubject,
        now: ctx.now(),
        scores: 'base',
      }),
    );
    const options = { store: ctx.store, ledger: ctx.ledger, model: ctx.credit.model, cause: 'bench' };
    let started = performance.now();
    const { changed } = await recomputeAll({ ...options, now: ctx.now() });
    const first = (performance.now() - started) / 1000;
    started = performance.now();
    const again = await recomputeAll({ ...options, now: ctx.now() });
    const second = (performance.now() - started) / 1000;
    if (again.changed !== 0) throw new Error(`the second recompute changed ${again.changed} scores`);
    return { subjects, changed, first, second };
  } finally {
    await store.remove();
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7_200) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(0)} h`;
  return `${(seconds / 86_400).toFixed(0)} days`;
}

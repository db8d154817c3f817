// Credit at run time: rank and percentile read from the histogram, and a subject's score updated
// in the transaction of each new cause, against raw better-sqlite3 on the same file.
import type { AppContext } from '../src/context.ts';
import type { NewContribution } from '../src/credit/credit-service.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { newSortableId } from '../src/util/ids.ts';
import { day, pick } from './_fixtures.ts';
import { progress, type Row, rates } from './_measure.ts';
import { type CreditPopulation, categoryShares, WeightedPick } from './credit-fill.ts';

/** Events per transaction, as a world's batch of events is ingested. */
const batch = 1_000;
const sampleSize = 4_096;

/**
 * Rank and percentile of a (kind, score) pair from the per-kind histogram, against counting the
 * subjects above it with the ranking index, same pairs, same order.
 */
export async function standings(
  ctx: AppContext,
  population: CreditPopulation,
): Promise<{ rows: Row[]; notes: string[] }> {
  progress('credit: ranks from the histogram and by counting…');
  const sqlite = ctx.store.sqlite!;
  const scoreOf = sqlite.prepare('select kind, score from credit_scores where subject_id = ?');
  const samples = Array.from(
    { length: sampleSize },
    () => scoreOf.get(pick(population.subjects)) as { kind: string; score: number },
  );
  const above = sqlite.prepare('select count(*) from credit_scores where kind = ? and score > ?').pluck();
  for (const { kind, score } of samples.slice(0, 200)) {
    const { rank } = await ctx.creditReader.standing(kind, score);
    if (rank !== (above.get(kind, score) as number) + 1)
      throw new Error(`the histogram ranks ${kind} ${score} at ${rank}`);
  }
  const sample = (i: number) => samples[i % samples.length]!;
  const rate = await rates({
    histogram: { async: (i) => ctx.creditReader.standing(sample(i).kind, sample(i).score) },
    count: { async: async (i) => above.get(sample(i).kind, sample(i).score) },
  });
  const buckets = sqlite
    .prepare('select kind, count(*) as n from credit_histogram group by kind order by n desc')
    .all() as { kind: string; n: number }[];
  return {
    rows: [
      {
        name: 'rank and percentile (creditReader.standing)',
        value: rate.histogram,
        baseline: 'raw count(*) of subjects above',
        baselineValue: rate.count,
      },
    ],
    notes: [
      `ranks: ${samples.length} (kind, score) pairs of random subjects; the histogram holds ${buckets.map((b) => `${b.n} scores of ${b.kind}`).join(', ')}; the count walks the credit_scores_ranking index`,
    ],
  };
}

/**
 * `credit.record` for one new event at a time, `batch` events per transaction, on subjects whose
 * score was evaluated today (the fast path); against a raw 1-row insert of a contribution, as many
 * per transaction.
 */
export async function incrementalUpdates(
  ctx: AppContext,
  population: CreditPopulation,
): Promise<{ rows: Row[]; notes: string[] }> {
  progress(`credit: recording events, ${batch} per transaction…`);
  const sqlite = ctx.store.sqlite!;
  const categories = new WeightedPick(categoryShares);
  const now = ctx.now().getTime();
  const event = (i: number, k: number): NewContribution => {
    const code = categories.next();
    const maxSeverity = ctx.policy.category(code)!.maxSeverity;
    return {
      causeKind: 'event',
      causeId: `evt_bench${i}x${k}`,
      code,
      severity: Math.min(maxSeverity, Math.random() < 0.7 ? 1 : 2),
      occurredAt: new Date(now - Math.floor(Math.random() * day)).toISOString(),
    };
  };
  const count = (table: string) => sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
  const before = { ledger: count('ledger_entries'), history: count('credit_history') };
  let recorded = 0;
  const record = (i: number) =>
    inTransaction(ctx.db, async (trx) => {
      for (let k = 0; k < batch; k++) {
        const subject = pick(population.subjects);
        const contribution = event(i, k);
        await ctx.credit.record(trx, subject, [contribution], `event:${contribution.causeId}`);
      }
      recorded += batch;
    });
  const insert = sqlite.prepare(
    `insert into credit_contributions
       (id, subject_id, cause_kind, cause_id, case_id, code, severity, day, occurred_at, status)
     values (?, ?, 'event', ?, null, ?, ?, ?, ?, 'active')`,
  );
  const insertBatch = sqlite.transaction((i: number) => {
    for (let k = 0; k < batch; k++) {
      const { causeId, code, severity, occurredAt } = event(i, k);
      const id = newSortableId('crd'); // as credit.record makes them
      insert.run(
        id,
        pick(population.subjects),
        `${causeId}r`,
        code,
        severity,
        Math.floor(now / day),
        occurredAt,
      );
    }
  });
  const rate = await rates(
    { record: { async: record }, raw: { async: async (i) => insertBatch(i) } },
    { checkEvery: 1 },
  );
  const perEvent = (transactionsPerSecond: number) => 1e6 / (transactionsPerSecond * batch);
  return {
    rows: [
      {
        name: `incremental update per event (credit.record), ${batch}/transaction`,
        value: perEvent(rate.record),
        unit: 'µs',
        baseline: 'raw 1-row insert, same batches',
        baselineValue: perEvent(rate.raw),
        target: { atMost: 50 },
      },
    ],
    notes: [
      `incremental: ${(rate.record * batch).toFixed(0)} events/s against ${(rate.raw * batch).toFixed(0)} raw rows/s; per event ${((count('ledger_entries') - before.ledger) / recorded).toFixed(2)} ledger entries and ${((count('credit_history') - before.history) / recorded).toFixed(2)} history rows (a score that moves is logged)`,
    ],
  };
}

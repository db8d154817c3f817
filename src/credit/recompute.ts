import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Store } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import type { EligibilityService } from '../enforcement/eligibility-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { newSortableId } from '../util/ids.ts';
import { type CreditStatements, creditStatements } from './credit-statements.ts';
import { type CreditModel, dayOf } from './model.ts';
import { contributionsBetween, scoresBetween } from './recompute-queries.ts';
import type { BatchRequest, RecomputeWorkerData } from './recompute-worker.ts';
import {
  type ContributionRow,
  contributionRows,
  type RescoredBatch,
  rescoreBatch,
  type ScoreRow,
  UnpairedContributionError,
} from './rescore.ts';

export interface RecomputeResult {
  subjects: number;
  contributions: number;
  /** Subjects whose score or grade changed. */
  changed: number;
  gradeChanged: string[];
}

interface Range {
  after: string;
  last: string;
}

const subjectBatch = 20_000;
/** Batches scored ahead of the writer, per worker: bounds what waits in memory. */
const lookahead = 2;

/**
 * Recomputes every score from the contributions, as of today, in one transaction: after a policy
 * change, or to check that the incremental path agrees (then nothing changes). Rebuilds the
 * histogram ranks are read from, and tells eligibility of every grade that changed, as the
 * incremental path does. `progress` is told how many subjects are done.
 *
 * On the embedded store, worker threads read and score the batches of subjects in parallel, each
 * from its own connection, while this thread writes what changed; on PostgreSQL this thread does
 * both, through the transaction.
 */
export async function recomputeAll(options: {
  store: Store;
  ledger: LedgerService;
  eligibility: Pick<EligibilityService, 'changed'>;
  model: CreditModel;
  now: Date;
  cause: string;
  progress?: (done: number, total: number) => void;
}): Promise<RecomputeResult> {
  const { store, model } = options;
  const day = dayOf(options.now);
  return inTransaction(store.db, async (trx) => {
    // The histogram is rebuilt at the end. On SQLite it is emptied first: a write takes the write
    // lock, so that what the worker threads read is the state this transaction starts from. On
    // PostgreSQL its rows stay unlocked until the end, so score changes elsewhere need not wait.
    const clearHistogram = () => trx.deleteFrom('credit_histogram').execute();
    if (store.sqlite !== undefined) await clearHistogram();
    const { total } = await trx
      .selectFrom('credit_scores')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const ranges = await batchRanges(trx);
    await refuseContributionsPastRanges(trx, ranges);
    const batches =
      store.sqlite === undefined
        ? scoreHere(trx, model, day, ranges)
        : scoreInWorkers({ file: store.sqlite.name, policy: model.policy.document, day }, ranges);
    const writer = new RescoredWriter({
      trx,
      ledger: options.ledger,
      eligibility: options.eligibility,
      cause: options.cause,
      day,
      at: options.now.toISOString(),
    });
    const result: RecomputeResult = { subjects: 0, contributions: 0, changed: 0, gradeChanged: [] };
    // Subjects per (kind, score): the same pair comes from several batches.
    const histogram = new Map<string, { kind: string; score: number; count: number }>();
    for await (const batch of batches) {
      await writer.write(batch, result);
      for (const [kind, score, count] of batch.histogram) {
        const key = `${kind}\u0000${score}`;
        const known = histogram.get(key);
        if (known === undefined) histogram.set(key, { kind, score, count });
        else known.count += count;
      }
      options.progress?.(result.subjects, Number(total));
    }
    if (store.sqlite === undefined) await clearHistogram();
    await insertHistogram(trx, [...histogram.values()]);
    return result;
  });
}

/** Batches of `subjectBatch` subjects, in id order, as (after, last] ranges. */
async function batchRanges(trx: Tx): Promise<Range[]> {
  const ranges: Range[] = [];
  let after = '';
  for (;;) {
    const ids = trx.selectFrom('credit_scores').select('subject_id').where('subject_id', '>', after);
    const last =
      (await ids
        .orderBy('subject_id')
        .limit(1)
        .offset(subjectBatch - 1)
        .executeTakeFirst()) ?? (await ids.orderBy('subject_id', 'desc').limit(1).executeTakeFirst());
    if (last === undefined) return ranges;
    ranges.push({ after, last: last.subject_id });
    after = last.subject_id;
  }
}

/**
 * The batches pair each contribution with a score row of their ranges; one whose subject sorts
 * after every score row would fall outside them all and go unseen, so it is looked for here.
 */
async function refuseContributionsPastRanges(trx: Tx, ranges: Range[]): Promise<void> {
  const past = await trx
    .selectFrom('credit_contributions')
    .select('subject_id')
    .where('subject_id', '>', ranges.at(-1)?.last ?? '')
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  if (past !== undefined) throw new UnpairedContributionError(past.subject_id);
}

async function* scoreHere(trx: Tx, model: CreditModel, day: number, ranges: Range[]) {
  for (const { after, last } of ranges) {
    const scores = (await scoresBetween(trx, after, last).execute()).map(
      (r): ScoreRow => [r.subject_id, r.kind, r.score, r.grade, r.dimensions, r.as_of_day],
    );
    const contributions = (await contributionsBetween(trx, after, last).execute()).map(
      (r): ContributionRow => [r.subject_id, r.cause_kind, r.code, r.severity, r.day],
    );
    yield rescoreBatch(model, scores, contributionRows(model, contributions, day), day);
  }
}

// The worker's own file: recompute-worker.ts beside this file in src/, .js in the built package.
const workerFile = new URL(
  `./recompute-worker${path.extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

/**
 * Scores the batches in worker threads, one per core, each taking every n-th batch, and yields
 * them in order. A worker is asked for its next batch as soon as it answers its last, up to
 * `lookahead` batches ahead of the writer.
 */
async function* scoreInWorkers(data: RecomputeWorkerData, ranges: Range[]): AsyncGenerator<RescoredBatch> {
  if (ranges.length === 0) return;
  const count = Math.min(os.availableParallelism(), 4, ranges.length);
  const workers = Array.from({ length: count }, () => scoringWorker(data));
  // One request at a time per worker: each one's requests are chained.
  const chains: Promise<unknown>[] = workers.map(() => Promise.resolve());
  const answers: Promise<RescoredBatch>[] = [];
  const schedule = (index: number) => {
    if (index >= ranges.length) return;
    const w = index % count;
    const answer = chains[w]!.then(() => workers[w]!.ask(ranges[index]!));
    // Awaited in order below; a failure is seen there, not as an unhandled rejection meanwhile.
    answer.catch(() => {});
    chains[w] = answer;
    answers[index] = answer;
  };
  for (let i = 0; i < count * lookahead; i++) schedule(i);
  try {
    for (let i = 0; i < ranges.length; i++) {
      const batch = await answers[i]!;
      delete answers[i];
      schedule(i + count * lookahead);
      yield batch;
    }
  } finally {
    // Their read transactions end with them.
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** A worker thread that scores one batch at a time; a failure fails its pending and later batches. */
function scoringWorker(data: RecomputeWorkerData) {
  const worker = new Worker(workerFile, { workerData: data });
  let failure: Error | undefined;
  let pending: { resolve: (batch: RescoredBatch) => void; reject: (error: Error) => void } | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    pending?.reject(failure);
    pending = undefined;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a recompute worker exited with code ${code}`)));
  worker.on('message', (batch: RescoredBatch) => {
    pending?.resolve(batch);
    pending = undefined;
  });
  return {
    ask(request: BatchRequest): Promise<RescoredBatch> {
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(request);
      });
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * Writes each rescored subject: its score row, and for a changed score its log entry and history;
 * tells eligibility of each batch's grade changes.
 */
class RescoredWriter {
  readonly #trx: Tx;
  readonly #ledger: LedgerService;
  readonly #eligibility: Pick<EligibilityService, 'changed'>;
  readonly #cause: string;
  readonly #day: number;
  readonly #at: string;
  readonly #statements: CreditStatements;

  constructor(options: {
    trx: Tx;
    ledger: LedgerService;
    eligibility: Pick<EligibilityService, 'changed'>;
    cause: string;
    day: number;
    at: string;
  }) {
    this.#trx = options.trx;
    this.#ledger = options.ledger;
    this.#eligibility = options.eligibility;
    this.#cause = options.cause;
    this.#day = options.day;
    this.#at = options.at;
    this.#statements = creditStatements(options.trx);
  }

  async write(batch: RescoredBatch, result: RecomputeResult): Promise<void> {
    result.subjects += batch.subjects;
    result.contributions += batch.contributions;
    const trx = this.#trx;
    const gradeChanged: string[] = [];
    for (const r of batch.rescored) {
      await this.#statements.save(trx, [r.score, r.grade, r.dimensions, this.#day, this.#at, r.subject]);
      if (r.score !== r.before.score) {
        result.changed++;
        await this.#ledger.append(trx, {
          kind: 'credit.changed',
          actor: 'system',
          refs: { subject: r.subject, score: r.score, grade: r.grade, cause: this.#cause },
        });
        await this.#statements.history(trx, [
          newSortableId('crh'),
          r.subject,
          this.#at,
          r.score,
          r.grade,
          this.#cause,
        ]);
      }
      if (r.grade !== r.before.grade) gradeChanged.push(r.subject);
    }
    await this.#eligibility.changed(trx, gradeChanged);
    result.gradeChanged.push(...gradeChanged);
  }
}

async function insertHistogram(trx: Tx, rows: { kind: string; score: number; count: number }[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('credit_histogram')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

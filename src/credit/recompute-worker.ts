// A worker thread of the full recompute on the embedded store. It reads batches of subjects from a
// read-only connection of its own and scores them, while the recompute's thread writes what
// changed: reading and scoring 10 M contributions is most of a recompute, and this way it runs on
// every core.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mmapBytes } from '../db/dialect/sqlite/dialect.ts';
import type { DatabaseSchema } from '../db/schema.ts';
import { parsePolicy } from '../policy/policy.ts';
import { CreditModel } from './model.ts';
import {
  type PackedRow,
  packedContributions,
  packedContributionsBetween,
  weightsByKey,
} from './packed-contributions.ts';
import { scoresBetween } from './recompute-queries.ts';
import { rescoreBatch, type ScoreRow } from './rescore.ts';

/** What the recompute hands each worker at start. */
export interface RecomputeWorkerData {
  file: string;
  policy: unknown;
  day: number;
}

/** A batch to score: the subjects with ids in (after, last]. */
export interface BatchRequest {
  after: string;
  last: string;
}

const { file, policy, day } = workerData as RecomputeWorkerData;
const port = parentPort!;
const model = new CreditModel(parsePolicy(policy));
const weights = weightsByKey(model);
const sqlite = new Database(file, { readonly: true });
sqlite.pragma(`mmap_size = ${mmapBytes}`);
// Kysely builds the SQL; better-sqlite3 runs it with rows as arrays (the reads are most of a
// recompute), contributions packed one row per subject.
const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
const selectScores = sqlite.prepare(scoresBetween(db, '', '').compile().sql).raw();
const selectContributions = sqlite
  .prepare(packedContributionsBetween(db, model.policy, '', '').compile().sql)
  .raw();
// One read transaction for every batch: they all see the snapshot of the first read, which is
// what the recompute's own transaction started from (it holds the write lock from before this
// worker started, so nothing can commit in between). It ends when the recompute ends the thread.
sqlite.exec('begin');

port.on('message', (request: BatchRequest) => {
  const scores = selectScores.all(request.after, request.last) as ScoreRow[];
  const contributions = selectContributions.all(request.after, request.last) as PackedRow[];
  port.postMessage(rescoreBatch(model, scores, packedContributions(model, weights, contributions, day), day));
});

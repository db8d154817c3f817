import type { Db } from '../db/database.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { newSortableId } from '../util/ids.ts';
import { type CreditModel, dayOf, type Weighable } from './model.ts';

export interface RecomputeResult {
  subjects: number;
  contributions: number;
  /** Subjects whose score or grade changed. */
  changed: number;
  gradeChanged: string[];
}

const subjectBatch = 20_000;

/**
 * Recomputes every score from the contributions, as of today, in one transaction: after a policy
 * change, or to check that the incremental path agrees (then nothing changes). Rebuilds the
 * histogram ranks are read from. `progress` is told how many subjects are done.
 */
export async function recomputeAll(options: {
  db: Db;
  ledger: LedgerService;
  model: CreditModel;
  now: Date;
  cause: string;
  progress?: (done: number, total: number) => void;
}): Promise<RecomputeResult> {
  const { db, model } = options;
  const today = dayOf(options.now);
  const at = options.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const { total } = await trx
      .selectFrom('credit_scores')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    const result: RecomputeResult = { subjects: 0, contributions: 0, changed: 0, gradeChanged: [] };
    const histogram = new Map<string, number>();
    let after = '';
    for (;;) {
      const scores = await trx
        .selectFrom('credit_scores')
        .select(['subject_id', 'kind', 'score', 'grade', 'dimensions', 'as_of_day'])
        .where('subject_id', '>', after)
        .orderBy('subject_id')
        .limit(subjectBatch)
        .execute();
      if (scores.length === 0) break;
      const last = scores.at(-1)!.subject_id;
      const bySubject = await contributionsBetween(trx, after, last);
      result.contributions += [...bySubject.values()].reduce((n, list) => n + list.length, 0);
      for (const row of scores) {
        const evaluation = model.evaluate(bySubject.get(row.subject_id) ?? [], today);
        const dimensions = JSON.stringify(evaluation.dimensions);
        const key = `${row.kind}\u0000${evaluation.score}`;
        histogram.set(key, (histogram.get(key) ?? 0) + 1);
        if (dimensions === row.dimensions && row.as_of_day === today) continue;
        await trx
          .updateTable('credit_scores')
          .set({
            score: evaluation.score,
            grade: evaluation.grade,
            dimensions,
            as_of_day: today,
            updated_at: at,
          })
          .where('subject_id', '=', row.subject_id)
          .execute();
        if (evaluation.score !== row.score) {
          result.changed++;
          await options.ledger.append(trx, {
            kind: 'credit.changed',
            actor: 'system',
            refs: {
              subject: row.subject_id,
              score: evaluation.score,
              grade: evaluation.grade,
              cause: options.cause,
            },
          });
          await trx
            .insertInto('credit_history')
            .values({
              id: newSortableId('crh'),
              subject_id: row.subject_id,
              at,
              score: evaluation.score,
              grade: evaluation.grade,
              cause: options.cause,
            })
            .execute();
        }
        if (evaluation.grade !== row.grade) result.gradeChanged.push(row.subject_id);
      }
      result.subjects += scores.length;
      options.progress?.(result.subjects, Number(total));
      after = last;
    }
    await trx.deleteFrom('credit_histogram').execute();
    const rows = [...histogram].map(([key, count]) => {
      const [kind, score] = key.split('\u0000') as [string, string];
      return { kind, score: Number(score), count };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('credit_histogram')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    return result;
  });
}

/**
 * The active contributions of the subjects with ids in (after, last], by subject: only what the
 * model weighs, all of it in the by-subject index, so the scan never visits the table itself.
 */
async function contributionsBetween(trx: Db, after: string, last: string): Promise<Map<string, Weighable[]>> {
  const rows = await trx
    .selectFrom('credit_contributions')
    .select(['subject_id', 'cause_kind as causeKind', 'code', 'severity', 'day'])
    .where('subject_id', '>', after)
    .where('subject_id', '<=', last)
    .where('status', '=', 'active')
    .execute();
  const bySubject = new Map<string, Weighable[]>();
  for (const row of rows) {
    let list = bySubject.get(row.subject_id);
    if (list === undefined) {
      list = [];
      bySubject.set(row.subject_id, list);
    }
    list.push(row);
  }
  return bySubject;
}

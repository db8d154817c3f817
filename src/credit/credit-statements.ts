import type { Db } from '../db/database.ts';
import { preparedQuery } from '../db/prepared.ts';

/**
 * The statements of every score change, on the incremental path and in a full recompute: built
 * and compiled once (see preparedQuery), each with its parameters in the order of its comment.
 */
export function creditStatements(db: Db) {
  return {
    // id, subject, cause kind, cause id, case id, code, severity, day, occurred at, status, recorded at
    insertContribution: preparedQuery(
      db.insertInto('credit_contributions').values({
        id: '',
        subject_id: '',
        cause_kind: 'event',
        cause_id: '',
        case_id: null,
        code: '',
        severity: null,
        day: 0,
        occurred_at: '',
        status: 'active',
        recorded_at: '',
      }),
    ),
    // subject
    state: preparedQuery(db.selectFrom('credit_scores').selectAll().where('subject_id', '=', '')),
    // score, grade, dimensions, as of day, updated at, subject
    save: preparedQuery(
      db
        .updateTable('credit_scores')
        .set({ score: 0, grade: '', dimensions: '', as_of_day: 0, updated_at: '' })
        .where('subject_id', '=', ''),
    ),
    // score, grade, dimensions, updated at, subject: as `save`, when the day has not changed. An
    // UPDATE rewrites the index entry of every column it sets, changed or not, and each entry of
    // the stale-score index (as of day, subject) sits on a page of its own.
    saveSameDay: preparedQuery(
      db
        .updateTable('credit_scores')
        .set({ score: 0, grade: '', dimensions: '', updated_at: '' })
        .where('subject_id', '=', ''),
    ),
    // kind, score, delta (inserted as the count of a new score, added to the count of a known one)
    count: preparedQuery(
      db
        .insertInto('credit_histogram')
        .values({ kind: '', score: 0, count: 0 })
        .onConflict((oc) =>
          oc
            .columns(['kind', 'score'])
            .doUpdateSet((eb) => ({ count: eb('credit_histogram.count', '+', eb.ref('excluded.count')) })),
        ),
    ),
    // id, subject, at, score, grade, cause
    history: preparedQuery(
      db
        .insertInto('credit_history')
        .values({ id: '', subject_id: '', at: '', score: 0, grade: '', cause: '' }),
    ),
  };
}

export type CreditStatements = ReturnType<typeof creditStatements>;

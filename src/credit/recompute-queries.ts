import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

// The reads of a full recompute, per batch of subjects with ids in (after, last]. Their column
// lists are the tuples of rescore.ts (ScoreRow, ContributionRow), in that order; their only
// parameters are `after` and `last`, in that order, so that a worker thread can run their SQL on a
// raw connection. Workers read the contributions packed instead (packed-contributions.ts); these
// rows are the recompute's own reads on PostgreSQL.

export function scoresBetween(db: Db, after: string, last: string) {
  return db
    .selectFrom('credit_scores')
    .select(['subject_id', 'kind', 'score', 'grade', 'dimensions', 'as_of_day'])
    .where('subject_id', '>', after)
    .where('subject_id', '<=', last)
    .orderBy('subject_id');
}

/** Only what the model weighs, all of it in the by-subject index: the scan never visits the table. */
export function contributionsBetween(db: Db, after: string, last: string) {
  return db
    .selectFrom('credit_contributions')
    .select(['subject_id', 'cause_kind', 'code', 'severity', 'day'])
    .where('subject_id', '>', after)
    .where('subject_id', '<=', last)
    .where('status', '=', sql.lit('active'))
    .orderBy('subject_id');
}

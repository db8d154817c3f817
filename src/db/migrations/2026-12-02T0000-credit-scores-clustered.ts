import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: on SQLite, the score rows are stored in subject order (a WITHOUT ROWID table keyed by
// subject). A full recompute reads them in that order, batch by batch, beside each batch's
// contributions; in a rowid table, filled in enrolment order, each of those reads was a random
// lookup (measured: 2.1 s of a recompute's 8 s at 1 M subjects went to them), and each
// incremental update looked its subject up twice, in the key and then in the table.
// PostgreSQL's tables have no such order to keep: nothing changes there.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'sqlite') return;
  await db.schema
    .createTable('credit_scores_clustered')
    .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('as_of_day', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .modifyEnd(sql`without rowid`)
    .execute();
  await sql`insert into credit_scores_clustered
    select subject_id, kind, score, grade, dimensions, as_of_day, updated_at from credit_scores
    order by subject_id`.execute(db);
  await db.schema.dropTable('credit_scores').execute();
  await sql`alter table credit_scores_clustered rename to credit_scores`.execute(db);
  await db.schema
    .createIndex('credit_scores_ranking')
    .on('credit_scores')
    .columns(['kind', 'score', 'subject_id'])
    .execute();
  await db.schema.createIndex('credit_scores_stale').on('credit_scores').column('as_of_day').execute();
}

import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: the credit model's state. Contributions record causes (a category and severity, or a
// sanction kind), not points: points come from the policy in force, so a policy change is a
// recompute, not a migration.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('credit_scores')
    .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('as_of_day', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('credit_scores_ranking')
    .on('credit_scores')
    .columns(['kind', 'score', 'subject_id'])
    .execute();
  await db.schema.createIndex('credit_scores_stale').on('credit_scores').column('as_of_day').execute();

  await db.schema
    .createTable('credit_contributions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('cause_kind', 'text', (c) => c.notNull())
    .addColumn('cause_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('severity', 'integer')
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  // Recompute reads every subject's contributions in subject order, from the index alone.
  await db.schema
    .createIndex('credit_contributions_by_subject')
    .on('credit_contributions')
    .columns(['subject_id', 'status', 'cause_kind', 'code', 'severity', 'day', 'id'])
    .execute();
  await db.schema
    .createIndex('credit_contributions_by_case')
    .on('credit_contributions')
    .column('case_id')
    .execute();

  // Subjects per kind and score: rank and percentile without scanning subjects.
  await db.schema
    .createTable('credit_histogram')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('credit_histogram_pk', ['kind', 'score'])
    .execute();

  await db.schema
    .createTable('credit_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('credit_history_by_subject')
    .on('credit_history')
    .columns(['subject_id', 'at'])
    .execute();
}

import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: one appeal pipeline for every adverse decision (issue 14): a case decision, a sanction
// imposed directly, a disclosure after its notice. Each target is appealed once; the reason and
// the rationale are sealed under the subject's data key.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sealed_reason', blob, (c) => c.notNull())
    .addColumn('filed_at', 'text', (c) => c.notNull())
    .addColumn('filed_by', 'text', (c) => c.notNull())
    .addColumn('decision_by', 'text', (c) => c.notNull())
    .addColumn('sealed_rationale', blob)
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  // Each adverse decision is appealed once.
  await db.schema.createIndex('appeals_once').on('appeals').columns(['kind', 'target_id']).unique().execute();
  await sql`create index appeals_pending_by_queue on appeals (queue, filed_at, id) where status = 'pending'`.execute(
    db,
  );
  await db.schema
    .createIndex('appeals_by_subject')
    .on('appeals')
    .columns(['subject_id', 'filed_at'])
    .execute();
}

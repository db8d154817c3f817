import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: the person's corrections of its own attributes (issue 15). The proposed value, the
// person's reason and the registrar's refusal are personal data: sealed under the subject's data
// key, so that erasing the subject erases them too. One pending correction per field.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sealed_value', blob, (c) => c.notNull())
    .addColumn('sealed_reason', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('sealed_refusal', blob)
    .addColumn('accepted_version', 'integer')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  // The second pending correction of one field is refused by the service; this catches a race.
  await sql`create unique index corrections_one_pending_per_field on corrections (subject_id, field) where status = 'pending'`.execute(
    db,
  );
  await db.schema
    .createIndex('corrections_by_status')
    .on('corrections')
    .columns(['status', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('corrections_by_subject')
    .on('corrections')
    .columns(['subject_id', 'created_at', 'id'])
    .execute();
}

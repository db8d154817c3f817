import type { Kysely } from 'kysely';

// Frozen: a person may lock the use of its identity (issue 15 item 4). One row per locked
// subject; unlocking deletes it. The log keeps the history (identity.locked / identity.unlocked).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_locks')
    .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
    .addColumn('locked_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text', (c) => c.notNull())
    .execute();
}

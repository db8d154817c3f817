import type { Kysely } from 'kysely';

// Frozen: what made the store, when something other than an operator did (issue 17): a store the
// demo made (`serve --demo` on a new store) may have its clock moved for demonstrations; no other.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('store_origin')
    .addColumn('origin', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen: who made the store (the demo or an operator), so that demonstrations such as a clock
// offset can be refused on an operator's store. One row (id 1); stores made before have none.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('store_origin')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('made_by', 'text', (c) => c.notNull().check(sql`made_by in ('demo', 'operator')`))
    .addColumn('made_at', 'text', (c) => c.notNull())
    .execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen: what a world's platform reads of its own (issue 17). Its reports are listed by world,
// newest first, so a report carries its case's world (set at filing; earlier ones are filled in
// from their cases). A subscription's deliveries are listed newest first. A world's avatars
// page by their primary key (world_id, handle) and need no index of their own.
export async function up(db: Kysely<unknown>): Promise<void> {
  // NOT NULL needs a default to add a column on both engines; every row gets its world below.
  await db.schema
    .alterTable('reports')
    .addColumn('world_id', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update reports set world_id = (select cases.world_id from cases where cases.id = reports.case_id)`.execute(
    db,
  );
  await db.schema
    .createIndex('reports_by_world')
    .on('reports')
    .columns(['world_id', 'received_at', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_by_subscription')
    .on('outbox')
    .columns(['subscription_id', 'created_at', 'id'])
    .execute();
}

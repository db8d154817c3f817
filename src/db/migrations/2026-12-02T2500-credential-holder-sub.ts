import type { Kysely } from 'kysely';

// Frozen: a credential's own pseudonym (its `sub`) is kept, so that a presentation of it finds
// its row (a service maps a presentation to its pseudonym). Credentials issued before have none.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('credentials').addColumn('holder_sub', 'text').execute();
  await db.schema
    .createIndex('credentials_holder_sub')
    .unique()
    .on('credentials')
    .column('holder_sub')
    .execute();
}

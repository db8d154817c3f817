import { type Kysely, sql } from 'kysely';

// Frozen: two admins for the overseeing roles (issue 13). Creating or revoking an admin, oversight
// or auditor principal through the API is a proposal by one admin, approved or refused by another.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('principal_proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // The principal revoked; for a creation, the one made once approved.
    .addColumn('principal_id', 'text')
    // A creation's input (role, name): staff names, as in principals, no personal data of subjects.
    .addColumn('input', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  // The console's and the API's list: newest first.
  await db.schema
    .createIndex('principal_proposals_newest')
    .on('principal_proposals')
    .columns(['created_at', 'id'])
    .execute();
  await sql`create index principal_proposals_pending on principal_proposals (created_at, id) where status = 'pending'`.execute(
    db,
  );
}

import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen. Pseudonyms per service (issue 16 item 3): a service principal may be an OpenID Connect
// client of mdis, and the pseudonym it learns a person under at sign-in is kept so that it can
// check eligibility with it instead of the digital ID.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bytes = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('oidc_service_clients')
    .addColumn('principal_id', 'text', (c) => c.primaryKey().references('principals.id'))
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('sealed_secret', bytes)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('service_pseudonyms')
    .addColumn('pseudonym', 'text', (c) => c.primaryKey())
    .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // A person's own services (their console, their export, erasure).
  await db.schema
    .createIndex('service_pseudonyms_by_subject')
    .on('service_pseudonyms')
    .column('subject_id')
    .execute();
}

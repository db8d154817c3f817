import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: this migration must never change once released. Times are ISO-8601 UTC text on both
// engines (they sort correctly as text and read back the same on SQLite and PostgreSQL).
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('worlds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedup_hash', 'text', (c) => c.notNull())
    .addColumn('wrapped_key', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('subjects_by_dedup_hash')
    .on('subjects')
    .column('dedup_hash')
    .unique()
    .execute();

  await db.schema
    .createTable('subject_attributes')
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('grp', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('ciphertext', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subject_attributes_pk', ['subject_id', 'grp', 'version'])
    .execute();

  await db.schema
    .createTable('avatars')
    .addColumn('world_id', 'text', (c) => c.notNull().references('worlds.id'))
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('pseudonym', 'text', (c) => c.notNull())
    .addColumn('bound_at', 'text', (c) => c.notNull())
    .addColumn('bound_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('avatars_pk', ['world_id', 'handle'])
    .execute();
  await db.schema.createIndex('avatars_by_subject').on('avatars').column('subject_id').execute();

  await db.schema
    .createTable('principals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('world_id', 'text', (c) => c.references('worlds.id'))
    .addColumn('actions', 'text')
    .addColumn('jurisdiction', 'text')
    .addColumn('subject_id', 'text', (c) => c.references('subjects.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('principals_by_token_hash')
    .on('principals')
    .column('token_hash')
    .unique()
    .execute();
  await db.schema
    .createIndex('principals_by_created_at')
    .on('principals')
    .columns(['created_at', 'id'])
    .execute();
}

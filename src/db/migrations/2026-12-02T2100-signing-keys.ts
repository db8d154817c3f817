import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen. Ed25519 keys that sign documents mdis hands out (a person's export, issue 15), one set
// per purpose, each sealed under the master key so that every instance signs with the same key;
// their public halves are published at /.well-known/jwks.json under their kid.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bytes = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('sealed_jwk', bytes, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema.createIndex('signing_keys_by_purpose').on('signing_keys').columns(['purpose']).execute();
}

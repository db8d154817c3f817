import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: the transparency log. Entries are canonical JSON without personal data; the salts of
// their detail digests sit apart so that they can be erased with the subject.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('ledger_entries')
    .addColumn('idx', bigint, (c) => c.primaryKey())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_salts')
    .addColumn('idx', bigint, (c) => c.primaryKey())
    .addColumn('salt', blob, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_checkpoints')
    .addColumn('size', bigint, (c) => c.primaryKey())
    .addColumn('root', blob, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sealed_private_key', blob, (c) => c.notNull())
    .addColumn('public_key', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

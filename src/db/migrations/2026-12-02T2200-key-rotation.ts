import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: signing keys rotate. A log key signs the checkpoints from a size on (the entry that
// announced it, plus one; 0 for the first key); a retired key stays to verify what it signed.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .alterTable('ledger_keys')
    .addColumn('from_size', bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('ledger_keys').addColumn('retired_at', 'text').execute();
  await db.schema.alterTable('oidc_keys').addColumn('retired_at', 'text').execute();
  // When a credential key stopped signing (its `retired_at` says until when it stays published).
  await db.schema.alterTable('credential_keys').addColumn('replaced_at', 'text').execute();
}

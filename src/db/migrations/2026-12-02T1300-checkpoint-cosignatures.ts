import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: witnesses cosign checkpoints (issue 13, item 7). Their cosignature lines are kept
// beside the log's own note, so that the served checkpoint carries every signature.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('ledger_checkpoints')
    .addColumn('cosignatures', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}

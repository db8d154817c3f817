import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: a credit contribution can be appealed (a negative event its category counts directly,
// issue 14); the window runs from when mdis recorded it, not from when the world says it
// happened, which a world could set back. Rows recorded before carry none: their window runs from
// when they happened.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('credit_contributions').addColumn('recorded_at', 'text').execute();
}

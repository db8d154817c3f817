import type { Kysely } from 'kysely';

// Frozen: a staff principal names the organisation it acts for (a registry office, a police force),
// so that a logged read says which organisation read a profile, not only which role.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('principals').addColumn('organisation', 'text').execute();
}

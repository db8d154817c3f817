import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: a negative conduct event no longer counts in the score by itself; it files a report
// in the avatar's open case, which a moderator decides (issue 14). A case opened by an event is
// marked automated; an event keeps the case it joined and the points it counted (positive
// events, capped per world and period), so the cap is a sum over an index.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('cases')
    .addColumn('automated', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('conduct_events').addColumn('case_id', 'text').execute();
  await db.schema
    .alterTable('conduct_events')
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('conduct_events_counted_by_world')
    .on('conduct_events')
    .columns(['subject_id', 'world_id', 'received_at'])
    .execute();
}

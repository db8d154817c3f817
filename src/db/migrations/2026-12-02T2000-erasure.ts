import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: the person's erasure and an authority's preservation order (issue 15, items 5 and 6).
// An erased subject keeps a row without key or identifier (its id answers 410 `erased`); an
// erasure is scheduled per retention policy and done by a scheduled pass; a preservation holds it.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('subjects').addColumn('erased_at', 'text').execute();
  await db.schema
    .createTable('erasures')
    .addColumn('subject_id', 'text', (c) => c.primaryKey().references('subjects.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('blocked_by', 'text')
    .addColumn('erased_at', 'text')
    .execute();
  await db.schema.createIndex('erasures_due').on('erasures').columns(['status', 'due_at']).execute();
  await db.schema
    .createTable('preservations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_id', 'text', (c) => c.notNull().references('principals.id'))
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('basis_kind', 'text', (c) => c.notNull())
    .addColumn('sealed_basis', blob, (c) => c.notNull())
    .addColumn('offence', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('extended_at', 'text')
    .addColumn('gag_until', 'text', (c) => c.notNull())
    .addColumn('lapse_logged_at', 'text')
    .execute();
  await db.schema
    .createIndex('preservations_by_subject')
    .on('preservations')
    .columns(['subject_id', 'ends_at'])
    .execute();
  await db.schema
    .createIndex('preservations_by_authority')
    .on('preservations')
    .columns(['authority_id', 'created_at', 'id'])
    .execute();
}

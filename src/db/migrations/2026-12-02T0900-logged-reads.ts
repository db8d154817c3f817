import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: every staff read of a decrypted profile is recorded for the person it is about, with
// its purpose and the log entry that records it (issue 13); checks by services and platforms are
// counted per subject, checker, action and day, not logged one by one.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('subject_reads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('log_index', bigint, (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('subject_reads_by_subject')
    .on('subject_reads')
    .columns(['subject_id', 'at', 'id'])
    .execute();
  await db.schema
    .createTable('eligibility_check_counts')
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('eligibility_check_counts_pk', ['subject_id', 'day', 'principal_id', 'action'])
    .execute();
}

import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: the openings of the log's commitments (issue 13). From log format 2 on, an entry names
// people only through salted commitments; the salt and the value of each sit here, apart from the
// public log, by the person they concern, so that the person can list them and erasure can remove
// them (a commitment without its opening links no one).
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('ledger_openings')
    .addColumn('idx', bigint, (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('value', 'text')
    .addColumn('salt', blob, (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_openings_pk', ['idx', 'ref'])
    // On SQLite the rows are kept in their key's order, without a rowid table beside the key:
    // each append writes one or two of them, and the log's appends are its hot path.
    .$call((table) => (engine === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
    .execute();
  await db.schema
    .createIndex('ledger_openings_by_subject')
    .on('ledger_openings')
    .columns(['subject_id', 'idx', 'ref'])
    .execute();
}

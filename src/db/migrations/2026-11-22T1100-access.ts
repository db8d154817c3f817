import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: lawful access. A disclosure request holds no plaintext: the target, the legal basis's
// reference and issuer, the purpose and the oversight's reason are sealed (under the subject's key
// when the target is known, else under the operator key; `seal_key` says which). Emergency is the
// legal basis kind, not a column of its own.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('disclosures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('authority_id', 'text', (c) => c.notNull().references('principals.id'))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('sealed_target', blob, (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.references('subjects.id'))
    .addColumn('seal_key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('basis_kind', 'text', (c) => c.notNull())
    .addColumn('sealed_basis', blob, (c) => c.notNull())
    .addColumn('basis_expires_at', 'text', (c) => c.notNull())
    .addColumn('offence', 'text', (c) => c.notNull())
    .addColumn('sealed_purpose', blob, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_due_at', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('sealed_oversight_reason', blob)
    .addColumn('gag_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  // An authority's own requests, and everyone's (oversight, auditors, the transparency report).
  await db.schema
    .createIndex('disclosures_by_authority')
    .on('disclosures')
    .columns(['authority_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('disclosures_by_created')
    .on('disclosures')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('disclosures_by_status')
    .on('disclosures')
    .columns(['status', 'created_at', 'id'])
    .execute();
  // A subject's notified disclosures.
  await db.schema
    .createIndex('disclosures_by_subject')
    .on('disclosures')
    .columns(['subject_id', 'gag_until'])
    .execute();
  // Emergency disclosures awaiting review: the overdue gauge counts these on every scrape.
  await sql`create index disclosures_awaiting_review on disclosures (review_due_at) where reviewed_at is null and review_due_at is not null`.execute(
    db,
  );

  await db.schema
    .createTable('disclosure_reads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('disclosure_id', 'text', (c) => c.notNull().references('disclosures.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disclosure_reads_by_disclosure')
    .on('disclosure_reads')
    .columns(['disclosure_id', 'at'])
    .execute();

  // The transparency report counts refusals by policy, which only the log records, over a period.
  await db.schema
    .createIndex('ledger_entries_by_time')
    .on('ledger_entries')
    .columns(['created_at'])
    .execute();
}

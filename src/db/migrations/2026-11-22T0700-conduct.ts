import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: conduct reports and cases, sanctions and strikes, conduct events, webhook outbox, and
// the record of which policy was in force. Free text about a subject (report descriptions,
// rationales, reasons) is sealed under the subject's data key, so these tables hold no plaintext.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const blob = engine === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('policies')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('activated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('world_id', 'text', (c) => c.notNull().references('worlds.id'))
    .addColumn('handle', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('report_count', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('severity', 'integer')
    .addColumn('sealed_rationale', blob)
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('appeal_status', 'text')
    .addColumn('sealed_appeal', blob)
    .addColumn('appealed_at', 'text')
    .addColumn('sealed_appeal_rationale', blob)
    .addColumn('appeal_decided_at', 'text')
    .addColumn('appeal_decided_by', 'text')
    .execute();
  // Reports of one avatar for one category in one world gather into the one open case.
  await sql`create unique index cases_one_open on cases (world_id, handle, category) where status = 'open'`.execute(
    db,
  );
  await db.schema.createIndex('cases_queue').on('cases').columns(['status', 'opened_at', 'id']).execute();
  await db.schema.createIndex('cases_by_opened').on('cases').columns(['opened_at', 'id']).execute();
  await db.schema.createIndex('cases_by_subject').on('cases').columns(['subject_id', 'opened_at']).execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('reporter_hash', 'text', (c) => c.notNull())
    .addColumn('sealed', blob, (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .execute();
  // The same reporter reporting the same thing twice counts once.
  await db.schema
    .createIndex('reports_once_per_reporter')
    .on('reports')
    .columns(['case_id', 'reporter_hash'])
    .unique()
    .execute();

  await db.schema
    .createTable('sanctions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('world_id', 'text', (c) => c.references('worlds.id'))
    .addColumn('actions', 'text')
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('sealed_reason', blob, (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.references('cases.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('sealed_lift_reason', blob)
    .execute();
  await db.schema
    .createIndex('sanctions_by_subject')
    .on('sanctions')
    .columns(['subject_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('sanctions_by_created').on('sanctions').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('sanctions_due_to_expire')
    .on('sanctions')
    .columns(['status', 'ends_at'])
    .execute();
  await db.schema.createIndex('sanctions_by_case').on('sanctions').column('case_id').execute();

  await db.schema
    .createTable('strikes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('strikes', 'integer', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('strikes_by_subject')
    .on('strikes')
    .columns(['subject_id', 'expires_at'])
    .execute();

  await db.schema
    .createTable('conduct_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('world_id', 'text', (c) => c.notNull().references('worlds.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('polarity', 'text', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conduct_events_once_per_world')
    .on('conduct_events')
    .columns(['world_id', 'external_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('conduct_events_by_subject')
    .on('conduct_events')
    .columns(['subject_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('world_id', 'text', (c) => c.notNull().references('worlds.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('sealed_secret', blob, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('subscriptions_by_world').on('subscriptions').column('world_id').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
}

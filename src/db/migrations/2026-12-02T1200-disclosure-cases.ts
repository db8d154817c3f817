import type { Kysely } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: disclosures rest on a case (issue 13): a request names the case it concerns (null where
// the policy lets a category go without one), and an emergency disclosure whose review deadline
// passed unreviewed is logged as overdue once, when this column is first set.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('disclosures')
    .addColumn('case_id', 'text', (c) => c.references('cases.id'))
    .execute();
  await db.schema.alterTable('disclosures').addColumn('overdue_logged_at', 'text').execute();
}

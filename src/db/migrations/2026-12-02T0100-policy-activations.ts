import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.ts';

// Frozen: `policies` held each distinct policy once, with the time it was first in force, so a
// return to an earlier policy was not seen as a change (its scores stayed under the later one),
// and the store could not tell commands other than `serve` which policy was in force (they put
// the shipped default in force). Now each policy keeps its canonical JSON, and each time one
// comes into force is a row of its own; the latest is the policy in force. Policies recorded
// before keep no text (the next start under them stores it).
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('policies').addColumn('document', 'text').execute();
  await db.schema
    .createTable('policy_activations')
    .addColumn('activated_at', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull().references('policies.digest'))
    .addPrimaryKeyConstraint('policy_activations_pk', ['activated_at', 'digest'])
    .execute();
  await sql`insert into policy_activations (activated_at, digest)
    select activated_at, digest from policies`.execute(db);
}

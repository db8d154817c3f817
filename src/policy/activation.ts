import type { Db } from '../db/database.ts';
import type { Policy } from './policy.ts';

/**
 * Records the policy in force, once per distinct policy: the first start under a changed policy
 * adds a row. Returns true when this policy is new to the store.
 */
export async function activatePolicy(db: Db, policy: Policy, now: Date): Promise<boolean> {
  const known = await db
    .selectFrom('policies')
    .select('digest')
    .where('digest', '=', policy.digest)
    .executeTakeFirst();
  if (known !== undefined) return false;
  await db
    .insertInto('policies')
    .values({
      digest: policy.digest,
      name: policy.document.name,
      version: policy.document.version,
      activated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('digest').doNothing())
    .execute();
  return true;
}

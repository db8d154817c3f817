import type { Db } from '../db/database.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from './policy.ts';

/**
 * Records the policy in force, once per distinct policy: the first start under a changed policy
 * adds a row. Returns true when this policy is new to the store.
 */
export async function activatePolicy(
  db: Db,
  ledger: LedgerService,
  policy: Policy,
  now: Date,
): Promise<boolean> {
  const known = await db
    .selectFrom('policies')
    .select('digest')
    .where('digest', '=', policy.digest)
    .executeTakeFirst();
  if (known !== undefined) return false;
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('policies')
      .values({
        digest: policy.digest,
        name: policy.document.name,
        version: policy.document.version,
        activated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('digest').doNothing())
      .executeTakeFirst();
    // Another instance starting at the same moment may have recorded it first.
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await ledger.append(trx, {
      kind: 'policy.activated',
      actor: 'operator',
      refs: { digest: policy.digest, version: policy.document.version },
    });
    return true;
  });
}

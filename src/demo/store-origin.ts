import type { Db } from '../db/database.ts';
import type { StoreOriginTable } from '../db/tables/store-origin.ts';

export type StoreMaker = StoreOriginTable['made_by'];

/**
 * Records who made a new store: the first start of `mdis serve` on a store with no principals
 * yet. A store that already has principals, or a maker, keeps what it has: a store made before
 * this record existed counts as an operator's.
 */
export async function recordStoreOrigin(db: Db, madeBy: StoreMaker, now: Date): Promise<void> {
  if (!(await storeIsNew(db))) return;
  await db
    .insertInto('store_origin')
    .values({ id: 1, made_by: madeBy, made_at: now.toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** A store no one has used yet: `mdis serve` has not made its first admin. */
export async function storeIsNew(db: Db): Promise<boolean> {
  const principals = await db
    .selectFrom('principals')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(principals.n) === 0;
}

/** Whether the demo made this store (`mdis serve --demo` on a new store). */
export async function storeMadeByDemo(db: Db): Promise<boolean> {
  const row = await db.selectFrom('store_origin').select('made_by').executeTakeFirst();
  return row?.made_by === 'demo';
}

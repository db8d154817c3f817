import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';

/**
 * Whether the demo made this store (`mdis serve --demo` on a new store). Only such a store may
 * have its clock moved for a demonstration: on an operator's store that would falsify its record.
 */
export async function isDemoStore(db: Db | Tx): Promise<boolean> {
  const row = await db
    .selectFrom('store_origin')
    .select('origin')
    .where('origin', '=', 'demo')
    .executeTakeFirst();
  return row !== undefined;
}

/** Records that the demo made this store; once, when it fills a new store. */
export async function markDemoStore(db: Db | Tx, at: Date): Promise<void> {
  await db
    .insertInto('store_origin')
    .values({ origin: 'demo', created_at: at.toISOString() })
    .onConflict((oc) => oc.column('origin').doNothing())
    .execute();
}

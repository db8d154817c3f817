import type { Db } from '../db/database.ts';
import { committingFormat } from './commitments.ts';

/** The format (`v`) of entry `idx`; 0 when there is no such entry. One point read. */
export async function formatAt(db: Db, idx: number): Promise<number> {
  if (idx < 0) return 0;
  const row = await db.selectFrom('ledger_entries').select('entry').where('idx', '=', idx).executeTakeFirst();
  return row === undefined ? 0 : Number((JSON.parse(row.entry) as { v?: unknown }).v);
}

/**
 * The index of the log's `log.format` entry, where it switched to committing to people: the first
 * entry of format 2 in a log of `size` entries (format 1 entries only come before it, which
 * `mdis log verify` checks), found in log2(size) point reads. `size` when it has not switched.
 */
export async function committingFrom(db: Db, size: number): Promise<number> {
  let low = 0;
  let high = size;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if ((await formatAt(db, middle)) >= committingFormat) high = middle;
    else low = middle + 1;
  }
  return low;
}

import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';

/**
 * The origin this store's log signs under: MDIS_LOG_ORIGIN when set; otherwise the one its
 * checkpoints already name, so that a log keeps its name (its witnesses and verifiers know it by
 * that) when the public URL or the default changes; a new log takes the configured default.
 */
export async function logOriginFor(
  db: Db,
  config: Pick<Config, 'logOrigin' | 'logOriginGiven'>,
): Promise<string> {
  if (config.logOriginGiven) return config.logOrigin;
  return (await storedLogOrigin(db)) ?? config.logOrigin;
}

/** The origin line of the largest checkpoint stored, if any. */
export async function storedLogOrigin(db: Db): Promise<string | undefined> {
  const latest = await db
    .selectFrom('ledger_checkpoints')
    .select('note')
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest?.note.split('\n', 1)[0] || undefined;
}

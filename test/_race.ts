import { sql } from 'kysely';
import type { Tx } from '../src/db/transaction.ts';
import type { Harness } from './_util.ts';

const rolledBack = new Error('rolled back on purpose');

/**
 * Runs `send` (requests sent together) so that they race for real. On PostgreSQL a transaction of
 * the test first takes what they will contend for (`hold`: a row, or a slot in a unique index)
 * and keeps it until `count` of them wait on it (a statement starting `waiting`), having all read
 * the state before: then it rolls back and they go on at once. SQLite runs one transaction at a
 * time: there they simply arrive together.
 */
export async function race<T>(
  h: Harness,
  contended: { hold: (trx: Tx) => Promise<unknown>; waiting: string; count: number },
  send: () => Promise<T>,
): Promise<T> {
  if (h.store !== 'postgres') return send();
  let sent: Promise<T> | undefined;
  await h.ctx.db
    .transaction()
    .execute(async (trx) => {
      await contended.hold(trx as Tx);
      sent = send();
      for (let waited = 0; waited < 300; waited++) {
        const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()
          and query like ${`${contended.waiting}%`}`.execute(h.ctx.db);
        if (waiting.rows[0]!.n >= contended.count) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw rolledBack;
    })
    .catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
  return sent!;
}

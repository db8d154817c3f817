import { sql } from 'kysely';
import type { CheckCount } from '../api/me.ts';
import type { Db } from '../db/database.ts';
import { keysetPage } from '../db/keyset.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Page } from '../util/cursor.ts';

/** How often a serving instance writes the counts (its scheduled jobs): the most they lag. */
export const checkCountFlushMs = 5_000;
/** Distinct (subject, day, checker, action) kept in memory before a write starts at once. */
export const maxPendingCounts = 50_000;
const rowsPerInsert = 500;
const dayMs = 86_400_000;

/**
 * Counts eligibility checks per subject, UTC day, checker (service or platform) and action, so
 * that a person sees who checked them without every check being a write. A check only adds one
 * to a map in memory; `flush` adds the map to the store. The counts are written at most
 * `checkCountFlushMs` late (the scheduled job), at shutdown, and as soon as `maxPendingCounts`
 * keys are waiting; a process that dies loses at most the counts since its last write.
 */
export class CheckCounter {
  readonly #db: Db;
  readonly #now: () => Date;
  readonly #onError: (error: unknown) => void;
  #pending = new Map<string, number>();
  /** The current UTC day, and when it ends: a check costs no date formatting. */
  #day = { name: '', endsAt: 0 };

  constructor(options: { db: Db; now: () => Date; onError: (error: unknown) => void }) {
    this.#db = options.db;
    this.#now = options.now;
    this.#onError = options.onError;
  }

  /** One check of `subject` by `checker` for `action`, now. */
  count(subject: string, checker: string, action: string): void {
    const key = `${subject}\t${this.#today()}\t${checker}\t${action}`;
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    if (this.#pending.size >= maxPendingCounts) this.flush().catch(this.#onError);
  }

  /** Checks counted and not yet written. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Adds the counts taken so far to the store, in one transaction; returns how many keys it
   * wrote. If the write fails they are kept for the next one.
   */
  async flush(): Promise<number> {
    const batch = this.#pending;
    if (batch.size === 0) return 0;
    this.#pending = new Map();
    // In key order, so that two instances adding to the same rows lock them in the same order.
    const rows = [...batch.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, count]) => {
        const [subject_id, day, principal_id, action] = key.split('\t') as [string, string, string, string];
        return { subject_id, day, principal_id, action, count };
      });
    try {
      await inTransaction(this.#db, async (tx) => {
        for (let i = 0; i < rows.length; i += rowsPerInsert) {
          await tx
            .insertInto('eligibility_check_counts')
            .values(rows.slice(i, i + rowsPerInsert))
            .onConflict((oc) =>
              oc.columns(['subject_id', 'day', 'principal_id', 'action']).doUpdateSet({
                count: sql<number>`eligibility_check_counts.count + excluded.count`,
              }),
            )
            .execute();
        }
        // Counts taken before the subject's erasure (here or on another instance) are not
        // written back after it: they would tie the erased ID to who checked it, and when.
        const subjects = [...new Set(rows.map((row) => row.subject_id))];
        for (let i = 0; i < subjects.length; i += rowsPerInsert) {
          const erased = tx
            .selectFrom('subjects')
            .select('id')
            .where('id', 'in', subjects.slice(i, i + rowsPerInsert))
            .where('erased_at', 'is not', null);
          await tx.deleteFrom('eligibility_check_counts').where('subject_id', 'in', erased).execute();
        }
      });
    } catch (error) {
      for (const [key, count] of batch) this.#pending.set(key, (this.#pending.get(key) ?? 0) + count);
      throw error;
    }
    return rows.length;
  }

  /** The written counts of `subject`, newest day first, with who checked. */
  async countsOf(subject: string, page: { cursor?: string; limit: number }): Promise<Page<CheckCount>> {
    // The checker and action as one key column, so that the keyset is (day, key).
    const counts = this.#db
      .selectFrom('eligibility_check_counts as c')
      .innerJoin('principals as p', 'p.id', 'c.principal_id')
      .select([
        'c.day',
        'c.action',
        'c.count',
        'c.principal_id',
        'p.role',
        'p.name',
        sql<string>`c.principal_id || ' ' || c.action`.as('checker_action'),
      ])
      .where('c.subject_id', '=', subject)
      .as('counts');
    const query = this.#db.selectFrom(counts).selectAll();
    return keysetPage(query, page, newestDayFirst, (rows) =>
      rows.map((row) => ({
        day: row.day,
        checker: { id: row.principal_id, role: row.role, name: row.name },
        action: row.action,
        count: Number(row.count),
      })),
    );
  }

  #today(): string {
    const now = this.#now().getTime();
    if (now >= this.#day.endsAt || now < this.#day.endsAt - dayMs) {
      const start = now - (now % dayMs);
      this.#day = { name: new Date(start).toISOString().slice(0, 10), endsAt: start + dayMs };
    }
    return this.#day.name;
  }
}

const newestDayFirst = [
  { column: 'day', type: 'string', order: 'desc' },
  { column: 'checker_action', type: 'string', order: 'asc' },
] as const;

import type { LogOpening, MyLogEntry } from '../api/log.ts';
import type { Db } from '../db/database.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { Tx } from '../db/transaction.ts';
import { decodeCursor, encodeCursor, type Page } from '../util/cursor.ts';
import type { OpeningRow } from './conceal.ts';

/** Entries at most in one auditor's read of openings, as in one read of entries. */
export const maxOpeningEntries = 1000;

const salt = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The openings of the log's commitments: a person's own (each entry about them, with the salts
 * that open what it commits to), and every one of a range of entries for the auditors. The public
 * entries link no one; these rows are what links them, and stay behind the API's roles.
 */
export class LogOpenings {
  readonly #db: Db;
  /** An entry's openings in one statement, compiled once per number of rows (see preparedQuery). */
  readonly #inserts = new Map<number, ReturnType<typeof openingsInsert>>();

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores the openings of entry `idx`, in the transaction that appends it. */
  async record(trx: Tx, idx: number, openings: readonly OpeningRow[]): Promise<void> {
    if (openings.length === 0) return;
    let insert = this.#inserts.get(openings.length);
    if (insert === undefined) {
      insert = openingsInsert(this.#db, openings.length);
      this.#inserts.set(openings.length, insert);
    }
    await insert(
      trx,
      openings.flatMap((o) => [idx, o.ref, o.subject, o.value, o.salt]),
    );
  }

  /**
   * The entries that commit to `subject` (as the act's subject, its avatar, or its own principal
   * acting or acted on), oldest first, each with the openings that are the subject's. Paged by
   * entry index.
   */
  async ofSubject(subject: string, page: { cursor?: string; limit: number }): Promise<Page<MyLogEntry>> {
    const after = page.cursor === undefined ? -1 : decodeCursor(page.cursor, ['number'])[0];
    const indexes = await this.#db
      .selectFrom('ledger_openings')
      .select('idx')
      .distinct()
      .where('subject_id', '=', subject)
      .where('idx', '>', after)
      .orderBy('idx')
      .limit(page.limit + 1)
      .execute();
    const shown = indexes.slice(0, page.limit).map((row) => Number(row.idx));
    if (shown.length === 0) return { items: [] };
    const [openings, entries] = await Promise.all([
      this.#db
        .selectFrom('ledger_openings')
        .select(['idx', 'ref', 'value', 'salt'])
        .where('subject_id', '=', subject)
        .where('idx', 'in', shown)
        .orderBy('idx')
        .orderBy('ref')
        .execute(),
      this.#db.selectFrom('ledger_entries').select(['idx', 'entry']).where('idx', 'in', shown).execute(),
    ]);
    const entryAt = new Map(entries.map((row) => [Number(row.idx), row.entry]));
    const items = shown.map((index) => ({
      index,
      entry: entryAt.get(index)!,
      openings: openings
        .filter((row) => Number(row.idx) === index)
        .map((row) => ({ ref: row.ref, value: row.value, salt: salt(row.salt) })),
    }));
    const last = shown.at(-1)!;
    return indexes.length > page.limit ? { items, cursor: encodeCursor([last]) } : { items };
  }

  /** Every opening of the entries [start, end), in index order: what an auditor holds. */
  async inRange(start: number, end: number): Promise<LogOpening[]> {
    const rows = await this.#db
      .selectFrom('ledger_openings')
      .select(['idx', 'ref', 'subject_id', 'value', 'salt'])
      .where('idx', '>=', start)
      .where('idx', '<', end)
      .orderBy('idx')
      .orderBy('ref')
      .execute();
    return rows.map((row) => ({
      index: Number(row.idx),
      ref: row.ref,
      subject: row.subject_id,
      value: row.value,
      salt: salt(row.salt),
    }));
  }
}

/** Inserts `rows` openings, each (idx, ref, subject, value, salt) in the parameters. */
function openingsInsert(db: Db, rows: number) {
  const row = { idx: 0, ref: '', subject_id: '', value: '', salt: Buffer.alloc(0) };
  return preparedQuery(db.insertInto('ledger_openings').values(Array.from({ length: rows }, () => row)));
}

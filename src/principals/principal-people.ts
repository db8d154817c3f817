import type { Db } from '../db/database.ts';
import { preparedQuery } from '../db/prepared.ts';

/** Principals remembered at once; past it the memory starts again (a lookup is one point read). */
const remembered = 100_000;

/**
 * Which principals are people acting for themselves (role subject), and for whom: what the log
 * needs to commit to such a principal instead of showing its id, a stable value that would link
 * every act of one person. A principal's role and subject never change, so answers are kept.
 */
export class PrincipalPeople {
  readonly #bySubject = new Map<string, string | null>();
  readonly #query;

  constructor(db: Db) {
    this.#query = preparedQuery(
      db.selectFrom('principals').select(['role', 'subject_id']).where('id', '=', ''),
    );
  }

  /**
   * The subject whose own principal `id` is; null for any other principal, and for actors that are
   * no principal ("system", "policy", "operator"). Reads through `db`: in the transaction that
   * creates the principal, it is already there.
   */
  subjectOf(db: Db, id: string): string | null | Promise<string | null> {
    if (!id.startsWith('prn_')) return null;
    // Known: answered at once, without a turn of the event loop (every append asks of its actor).
    const known = this.#bySubject.get(id);
    if (known !== undefined) return known;
    return this.#lookUp(db, id);
  }

  async #lookUp(db: Db, id: string): Promise<string | null> {
    const row = (await this.#query(db, [id])).rows[0];
    const subject = row?.role === 'subject' ? row.subject_id : null;
    // An id not (yet) in the store is not remembered: it may be a principal created after this.
    if (row !== undefined) {
      if (this.#bySubject.size >= remembered) this.#bySubject.clear();
      this.#bySubject.set(id, subject);
    }
    return subject;
  }
}

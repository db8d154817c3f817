import type { AvatarStanding } from '../api/avatars.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { type Keyset, keysetPage } from '../db/keyset.ts';
import { preparedQuery } from '../db/prepared.ts';
import { inTransaction } from '../db/transaction.ts';
import { AvatarBoundError, AvatarNotFoundError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { LockService } from '../rights/lock-service.ts';
import type { Page } from '../util/cursor.ts';
import type { AttributeVault } from './attribute-vault.ts';
import type { SubjectService } from './subject-service.ts';

/** Handles are chosen by worlds: lower case, digits, dot, underscore and hyphen, up to 64. */

/** An avatar with the subject behind it: for the registry's own reads, never returned to a world. */
export interface BoundAvatar {
  avatar: AvatarStanding;
  subject: string;
}

/** A world's avatars by handle: the primary key (world_id, handle) serves it. */
const byHandle: Keyset<{ world_id: string; handle: string }> = [
  { column: 'world_id', type: 'string', order: 'asc' },
  { column: 'handle', type: 'string', order: 'asc' },
];

export class AvatarService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #vault: AttributeVault;
  readonly #subjects: SubjectService;
  readonly #locks: LockService;
  readonly #now: () => Date;

  // Every report, event and identification starts here: compiled once (see db/prepared.ts).
  readonly #subjectOfQuery;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    vault: AttributeVault;
    subjects: SubjectService;
    locks: LockService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#subjectOfQuery = preparedQuery(
      options.db
        .selectFrom('avatars')
        .select('subject_id')
        .where('world_id', '=', '')
        .where('handle', '=', ''),
    );
    this.#vault = options.vault;
    this.#subjects = options.subjects;
    this.#locks = options.locks;
    this.#now = options.now;
  }

  /**
   * Binds a handle in a world to a subject. Binding it again to the same subject changes nothing;
   * a handle already bound to another subject is a conflict. A new binding of a subject who
   * locked its identity is refused (409 identity_locked); its existing bindings are untouched.
   */
  async bind(input: { world: string; handle: string; subject: string }, actor: string) {
    const existing = await this.#find(input.world, input.handle);
    if (existing !== undefined)
      return { avatar: this.#checkSameSubject(existing, input.subject), created: false };
    await this.#subjects.assertExists(input.subject);
    const row = {
      world_id: input.world,
      handle: input.handle,
      subject_id: input.subject,
      pseudonym: this.#vault.pseudonym(input.world, input.subject),
      bound_at: this.#now().toISOString(),
      bound_by: actor,
    };
    try {
      await inTransaction(this.#db, async (trx) => {
        await this.#locks.assertUnlocked(trx, input.subject);
        await trx.insertInto('avatars').values(row).execute();
        await this.#ledger.append(trx, {
          kind: 'avatar.bound',
          actor,
          refs: { world: row.world_id, subject: row.subject_id, pseudonym: row.pseudonym },
          details: { handle: row.handle },
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Bound by a concurrent request between our read and our write.
      const winner = await this.#find(input.world, input.handle);
      if (winner === undefined) throw error;
      return { avatar: this.#checkSameSubject(winner, input.subject), created: false };
    }
    return { avatar: standing(row), created: true };
  }

  async get(world: string, handle: string): Promise<AvatarStanding> {
    const row = await this.#find(world, handle);
    if (row === undefined) throw new AvatarNotFoundError(world, handle);
    return standing(row);
  }

  /** An avatar and the subject behind it (404 when not bound). */
  async bound(world: string, handle: string): Promise<BoundAvatar> {
    const row = await this.#find(world, handle);
    if (row === undefined) throw new AvatarNotFoundError(world, handle);
    return { avatar: standing(row), subject: row.subject_id };
  }

  /** A page of a world's avatars by handle, each with the subject behind it. */
  pageOf(world: string, page: { cursor?: string; limit: number }): Promise<Page<BoundAvatar>> {
    const query = this.#db.selectFrom('avatars').selectAll().where('world_id', '=', world);
    return keysetPage(query, page, byHandle, (rows) =>
      rows.map((row) => ({ avatar: standing(row), subject: row.subject_id })),
    );
  }

  /** The subject behind an avatar: for the registry's own use, never returned to a world. */
  async subjectOf(world: string, handle: string, db: Db = this.#db): Promise<string | undefined> {
    const { rows } = await this.#subjectOfQuery(db, [world, handle]);
    return rows[0]?.subject_id;
  }

  /** A subject's avatars, by world: for telling worlds about their own users, by pseudonym. */
  async avatarsOf(subject: string, db: Db = this.#db): Promise<AvatarStanding[]> {
    const rows = await db
      .selectFrom('avatars')
      .selectAll()
      .where('subject_id', '=', subject)
      .orderBy('world_id')
      .orderBy('handle')
      .execute();
    return rows.map(standing);
  }

  #find(world: string, handle: string) {
    return this.#db
      .selectFrom('avatars')
      .selectAll()
      .where('world_id', '=', world)
      .where('handle', '=', handle)
      .executeTakeFirst();
  }

  #checkSameSubject(row: AvatarRow, subject: string): AvatarStanding {
    if (row.subject_id !== subject) {
      throw new AvatarBoundError(row.handle);
    }
    return standing(row);
  }
}

type AvatarRow = {
  world_id: string;
  handle: string;
  pseudonym: string;
  bound_at: string;
  subject_id: string;
};

function standing(row: AvatarRow): AvatarStanding {
  return { world: row.world_id, handle: row.handle, pseudonym: row.pseudonym, boundAt: row.bound_at };
}

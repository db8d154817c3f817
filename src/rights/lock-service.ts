import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { ForbiddenError, IdentityLockedError, IdentityNotLockedError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Principal } from '../principals/roles.ts';

/** The lock as the person sees it: since when, or not locked (null). */
export interface LockState {
  locked: string | null;
}

/**
 * The person's lock on the use of its identity (issue 15 item 4), after Aadhaar's biometric lock.
 * While locked: no sign-in at worlds through mdis, no new avatar binding, no new credential. A
 * lock never hides the person: sanctions, eligibility checks, reports and cases, disclosures to
 * authorities and staff reads go on as before, and existing bindings keep working. Only the person
 * locks (its own session or bearer token) and only the person unlocks, with a fresh passkey
 * assertion; lost passkeys are recovered through a registrar's recovery activation code.
 *
 * Other domains call `assertUnlocked` inside the transaction of the new use they are about to
 * write (avatar binding, credential issuance), and `lockedSince` where they only need to know.
 */
export class LockService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #now: () => Date;
  readonly #lockedHooks: ((tx: Tx, subject: string) => Promise<unknown>)[] = [];

  constructor(options: { db: Db; ledger: LedgerService; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#now = options.now;
  }

  /** Since when the subject's identity is locked, or undefined. Reads inside `db` if given. */
  async lockedSince(subject: string, db: Db = this.#db): Promise<string | undefined> {
    const row = await db
      .selectFrom('identity_locks')
      .select('locked_at')
      .where('subject_id', '=', subject)
      .executeTakeFirst();
    return row?.locked_at;
  }

  async isLocked(subject: string, db: Db = this.#db): Promise<boolean> {
    return (await this.lockedSince(subject, db)) !== undefined;
  }

  /**
   * Throws 409 identity_locked if the subject's identity is locked: called by each new use of an
   * identity (binding an avatar, issuing a credential) in the transaction that would write it.
   */
  async assertUnlocked(tx: Tx, subject: string): Promise<void> {
    const since = await this.lockedSince(subject, tx);
    if (since !== undefined) throw new IdentityLockedError(since);
  }

  /** The person locks its own identity; logged as identity.locked. A second lock is a 409. */
  async lock(principal: Principal): Promise<LockState> {
    const subject = ownSubject(principal);
    const at = this.#now().toISOString();
    try {
      await inTransaction(this.#db, async (tx) => {
        await this.assertUnlocked(tx, subject);
        await tx
          .insertInto('identity_locks')
          .values({ subject_id: subject, locked_at: at, locked_by: principal.id })
          .execute();
        await this.#ledger.append(tx, { kind: 'identity.locked', actor: principal.id, refs: { subject } });
        for (const hook of this.#lockedHooks) await hook(tx, subject);
      });
    } catch (error) {
      // Locked by a concurrent request between our read and our write.
      if (!isUniqueViolation(error)) throw error;
      throw new IdentityLockedError((await this.lockedSince(subject)) ?? at);
    }
    return { locked: at };
  }

  /**
   * Runs `hook` in the transaction of every lock, after the lock is written: what a lock revokes
   * (the person's credentials) is revoked when, and only if, the lock commits.
   */
  afterLock(hook: (tx: Tx, subject: string) => Promise<unknown>): void {
    this.#lockedHooks.push(hook);
  }

  /**
   * The person unlocks, `proof` checking in the same transaction that it is the person: a fresh
   * passkey assertion answering an `unlock` challenge of its own (`PasskeyService.confirm`).
   * Logged as identity.unlocked. All or nothing: a refused proof leaves the lock as it was.
   */
  async unlock(principal: Principal, proof: (tx: Tx) => Promise<void>): Promise<LockState> {
    const subject = ownSubject(principal);
    await inTransaction(this.#db, async (tx) => {
      await proof(tx);
      const removed = await tx
        .deleteFrom('identity_locks')
        .where('subject_id', '=', subject)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) !== 1) throw new IdentityNotLockedError();
      await this.#ledger.append(tx, { kind: 'identity.unlocked', actor: principal.id, refs: { subject } });
    });
    return { locked: null };
  }
}

function ownSubject(principal: Principal): string {
  if (principal.subject === undefined)
    throw new ForbiddenError('only the person locks or unlocks its identity');
  return principal.subject;
}

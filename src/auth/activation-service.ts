import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { NotFoundError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type {
  ChangeOptions,
  NewPrincipal,
  PrincipalRecord,
  PrincipalService,
} from '../principals/principal-service.ts';
import type { Role } from '../principals/roles.ts';
import { hashSecret, newActivationCode, normaliseActivationCode } from './codes.ts';
import { SignInRefusedError } from './errors.ts';

export const activationCodeDays = 7;
const day = 86_400_000;

/** The roles held by people, who sign in with passkeys; platforms and services are machines. */
export const peopleRoles: readonly Role[] = [
  'admin',
  'registrar',
  'moderator',
  'authority',
  'oversight',
  'auditor',
  'subject',
];

export type ActivationPurpose = 'enrolment' | 'staff' | 'recovery';

export interface IssuedCode {
  code: string;
  expiresAt: string;
}

/** One-time activation codes: shown once, kept as a hash, single use, valid 7 days. */
export class ActivationService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #principals: PrincipalService;
  readonly #now: () => Date;

  constructor(options: { db: Db; ledger: LedgerService; principals: PrincipalService; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#principals = options.principals;
    this.#now = options.now;
  }

  /**
   * Creates a principal and, for a person (staff or a subject), an activation code to register a
   * passkey with, in one transaction (the caller's, given `db`): the HTTP route, an approved
   * proposal and `mdis admin principal create` alike.
   */
  async createPrincipal(
    input: NewPrincipal,
    options: ChangeOptions & { db?: Tx } = {},
  ): Promise<{ principal: PrincipalRecord; token: string; activation?: IssuedCode }> {
    const { db, ...change } = options;
    if (db === undefined)
      return inTransaction(this.#db, (trx) => this.createPrincipal(input, { ...options, db: trx }));
    const made = await this.#principals.create(input, { ...change, db });
    if (!peopleRoles.includes(made.principal.role)) return made;
    const activation = await this.issue(db, {
      principalId: made.principal.id,
      purpose: 'staff',
      actor: change.actor ?? 'operator',
    });
    return { ...made, activation };
  }

  /** Issues a code for a principal inside the caller's transaction; earlier unused codes stop working. */
  async issue(
    trx: Db,
    input: { principalId: string; purpose: ActivationPurpose; actor: string },
  ): Promise<IssuedCode> {
    const now = this.#now();
    const code = newActivationCode();
    const expiresAt = new Date(now.getTime() + activationCodeDays * day).toISOString();
    await trx
      .updateTable('activation_codes')
      .set({ used_at: now.toISOString() })
      .where('principal_id', '=', input.principalId)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('activation_codes')
      .values({
        code_hash: hashSecret(normaliseActivationCode(code)),
        principal_id: input.principalId,
        purpose: input.purpose,
        created_at: now.toISOString(),
        created_by: input.actor,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    return { code, expiresAt };
  }

  /**
   * The code for a newly enrolled subject, with the principal it signs in as (made here: a
   * subject enrolled in bulk, by `mdis simulate`, gets neither until a registrar asks).
   */
  async issueAtEnrolment(subjectId: string, actor: string): Promise<IssuedCode> {
    return inTransaction(this.#db, async (trx) => {
      const principalId = await this.#subjectPrincipal(trx, subjectId, actor);
      return this.issue(trx, { principalId, purpose: 'enrolment', actor });
    });
  }

  /**
   * A new code for a person who lost their passkeys, after the registrar re-checked their document:
   * a logged act, and the person is told at their next sign-in.
   */
  async issueForRecovery(subjectId: string, actor: string): Promise<IssuedCode> {
    return inTransaction(this.#db, async (trx) => {
      const principal = { id: await this.#subjectPrincipal(trx, subjectId, actor) };
      const issued = await this.issue(trx, { principalId: principal.id, purpose: 'recovery', actor });
      const at = this.#now().toISOString();
      await trx
        .insertInto('sign_in_notices')
        .values({ principal_id: principal.id, recovery_code_issued_at: at })
        .onConflict((oc) => oc.column('principal_id').doUpdateSet({ recovery_code_issued_at: at }))
        .execute();
      await this.#ledger.append(trx, {
        kind: 'activation.recovery_issued',
        actor,
        refs: { subject: subjectId, principal: principal.id },
      });
      return issued;
    });
  }

  /** The subject's own principal, made if it has none. */
  async #subjectPrincipal(trx: Tx, subjectId: string, actor: string): Promise<string> {
    const existing = await trx
      .selectFrom('principals')
      .select('id')
      .where('subject_id', '=', subjectId)
      .where('role', '=', 'subject')
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .executeTakeFirst();
    if (existing !== undefined) return existing.id;
    const exists = await trx
      .selectFrom('subjects')
      .select('id')
      .where('id', '=', subjectId)
      .executeTakeFirst();
    if (exists === undefined) throw new NotFoundError('subject_not_found', 'no subject has this id');
    const { principal } = await this.#principals.create(
      { role: 'subject', subject: subjectId, name: `subject ${subjectId.slice(0, 8)}` },
      { actor, db: trx },
    );
    return principal.id;
  }

  /** The principal a live code activates, without using it up (the passkey ceremony comes first). */
  async check(code: string, db: Db = this.#db): Promise<string> {
    const row = await db
      .selectFrom('activation_codes')
      .innerJoin('principals', 'principals.id', 'activation_codes.principal_id')
      .select(['activation_codes.principal_id', 'activation_codes.expires_at', 'activation_codes.used_at'])
      .where('code_hash', '=', hashSecret(normaliseActivationCode(code)))
      .where('principals.revoked_at', 'is', null)
      .executeTakeFirst();
    if (row === undefined)
      throw new SignInRefusedError('invalid_activation_code', 'this activation code is unknown');
    if (row.used_at !== null) {
      throw new SignInRefusedError('invalid_activation_code', 'this activation code was already used');
    }
    if (row.expires_at <= this.#now().toISOString()) {
      throw new SignInRefusedError('invalid_activation_code', 'this activation code has expired');
    }
    return row.principal_id;
  }

  /** Uses a code up inside the caller's transaction; a code used meanwhile is refused. */
  async redeem(trx: Tx, code: string): Promise<string> {
    const principalId = await this.check(code, trx);
    const used = await trx
      .updateTable('activation_codes')
      .set({ used_at: this.#now().toISOString() })
      .where('code_hash', '=', hashSecret(normaliseActivationCode(code)))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) {
      throw new SignInRefusedError('invalid_activation_code', 'this activation code was already used');
    }
    return principalId;
  }
}

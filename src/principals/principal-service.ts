import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import { keysetPage, oldestFirst } from '../db/keyset.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { PrincipalsTable } from '../db/tables/principals.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import {
  PrincipalNotFoundError,
  PrincipalRevokedError,
  SubjectNotFoundError,
  ValidationError,
  WorldNotFoundError,
} from '../errors.ts';
import { parseDigitalId } from '../identity/digital-id.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { jurisdictionPattern } from '../util/countries.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import { actionPattern, worldIdPattern } from '../util/patterns.ts';
import { isRole, type Principal, type Role, requiredScope } from './roles.ts';

export interface NewPrincipal {
  role: string;
  name?: string;
  world?: string;
  actions?: readonly string[];
  jurisdiction?: string;
  /** The organisation a staff principal acts for; not for subjects. */
  organisation?: string;
  subject?: string;
}

export interface PrincipalName {
  id: string;
  role: Role;
  name: string;
  organisation?: string;
}

export interface PrincipalRecord extends Principal {
  createdAt: string;
  revokedAt: string | undefined;
}

/**
 * How long a token, once found live, is taken as live without asking the store again. A
 * revocation ends it at once on the instance that made it; on another instance (or under a server
 * while the CLI revokes) within this time.
 */
export const tokenTrustMs = 1000;
const tokensTrusted = 10_000;
/**
 * How long a token hash found unknown is answered unknown without asking the store: a flood of the
 * same made-up tokens stops here. A token is only known once created, and only its holder has it.
 */
const unknownMs = 10_000;
const unknownKept = 10_000;

const jurisdictionRegex = new RegExp(jurisdictionPattern);
const worldIdRegex = new RegExp(worldIdPattern);
const actionRegex = new RegExp(actionPattern);

/** Creates, authenticates, lists and revokes the callers of the API. */
export class PrincipalService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  // Every authenticated request starts here: compiled once (see db/prepared.ts).
  readonly #byToken;
  readonly #now: () => Date;
  /** Live principals by token hash, each until a monotonic time (not the injectable clock). */
  readonly #trusted = new Map<string, { principal: PrincipalRecord; until: number }>();
  /** Token hashes found unknown, each until a monotonic time. */
  readonly #unknown = new Map<string, number>();
  /** Counts revocations, so that a lookup that overlapped one is not trusted. */
  #revocations = 0;

  constructor(options: { db: Db; ledger: LedgerService; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#byToken = preparedQuery(
      options.db
        .selectFrom('principals')
        .selectAll()
        .where('token_hash', '=', '')
        .where('revoked_at', 'is', null),
    );
    this.#now = options.now;
  }

  /** Creates a principal and returns its bearer token, which is not stored and cannot be shown again. */
  async create(
    input: NewPrincipal,
    options: ChangeOptions & { db?: Tx } = {},
  ): Promise<{ principal: PrincipalRecord; token: string }> {
    const db = options.db;
    if (db === undefined)
      return inTransaction(this.#db, (trx) => this.create(input, { ...options, db: trx }));
    const { role, name: givenName, scope } = checkNewPrincipal(input);
    if (
      scope.world !== null &&
      !(await db.selectFrom('worlds').select('id').where('id', '=', scope.world).executeTakeFirst())
    ) {
      throw new WorldNotFoundError(scope.world);
    }
    if (
      scope.subject_id !== null &&
      !(await db.selectFrom('subjects').select('id').where('id', '=', scope.subject_id).executeTakeFirst())
    ) {
      throw new SubjectNotFoundError(scope.subject_id);
    }
    const id = newId('prn');
    const token = `mdis_${randomBytes(32).toString('base64url')}`;
    const name = givenName ?? `${role} ${id.slice(4, 10)}`;
    if (name.length === 0 || name.length > 100)
      throw new ValidationError('name', 'must be 1 to 100 characters');
    const row = {
      id,
      role,
      name,
      token_hash: hashToken(token),
      world_id: scope.world,
      actions: scope.actions === null ? null : JSON.stringify(scope.actions),
      jurisdiction: scope.jurisdiction,
      organisation: scope.organisation,
      subject_id: scope.subject_id,
      created_at: this.#now().toISOString(),
      created_by: options.actor ?? null,
      revoked_at: null,
    };
    await db.insertInto('principals').values(row).execute();
    await this.#ledger.append(db, {
      kind: 'principal.created',
      actor: options.actor ?? 'operator',
      refs: {
        principal: id,
        role,
        world: row.world_id,
        jurisdiction: row.jurisdiction,
        subject: row.subject_id,
        ...changeRefs(options),
      },
    });
    return { principal: principalRecord(row), token };
  }

  /** The live principal holding this token, or undefined for an unknown or revoked one. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const hash = hashToken(token);
    const now = performance.now();
    const trusted = this.#trusted.get(hash);
    if (trusted !== undefined && trusted.until > now) return trusted.principal;
    if ((this.#unknown.get(hash) ?? 0) > now) return undefined;
    const revocations = this.#revocations;
    const { rows } = await this.#byToken(this.#db, [hash]);
    this.#trusted.delete(hash);
    if (rows[0] === undefined) {
      this.#unknown.delete(hash);
      if (this.#unknown.size >= unknownKept) this.#unknown.delete(this.#unknown.keys().next().value!);
      this.#unknown.set(hash, now + unknownMs);
      return undefined;
    }
    const principal = Object.freeze(principalRecord(rows[0]));
    if (revocations === this.#revocations) {
      // Oldest first out: a Map iterates in insertion order.
      if (this.#trusted.size >= tokensTrusted) this.#trusted.delete(this.#trusted.keys().next().value!);
      this.#trusted.set(hash, { principal, until: now + tokenTrustMs });
    }
    return principal;
  }

  /** A principal by id, revoked or not. */
  async get(id: string): Promise<PrincipalRecord> {
    const row = await this.#db.selectFrom('principals').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new PrincipalNotFoundError(id);
    return principalRecord(row);
  }

  /**
   * The names of the principals among `ids` that act as staff or machines, so that a screen shows
   * who acted rather than an id. A subject principal's name is the person's: it is left out.
   */
  async namesOf(ids: readonly string[]): Promise<PrincipalName[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .selectFrom('principals')
      .select(['id', 'role', 'name', 'organisation'])
      .where('id', 'in', [...ids])
      .where('role', '!=', 'subject')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      role: r.role as Role,
      name: r.name,
      ...(r.organisation === null ? {} : { organisation: r.organisation }),
    }));
  }

  async list(options: { cursor?: string; limit: number }): Promise<Page<PrincipalRecord>> {
    const query = this.#db.selectFrom('principals').selectAll();
    return keysetPage(query, options, oldestFirst, (rows) => rows.map(principalRecord));
  }

  async revoke(id: string, options: ChangeOptions = {}): Promise<PrincipalRecord> {
    return inTransaction(this.#db, (trx) => this.revokeWithin(trx, id, options));
  }

  /**
   * Revokes a live principal inside the caller's transaction; its token stops being trusted here
   * once that commits. 404 for an unknown id, 409 for one already revoked.
   */
  async revokeWithin(trx: Tx, id: string, options: ChangeOptions = {}): Promise<PrincipalRecord> {
    const revoked = await trx
      .updateTable('principals')
      .set({ revoked_at: this.#now().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (revoked === undefined) {
      const exists = await trx.selectFrom('principals').select('id').where('id', '=', id).executeTakeFirst();
      if (exists === undefined) throw new PrincipalNotFoundError(id);
      throw new PrincipalRevokedError(id);
    }
    await this.#ledger.append(trx, {
      kind: 'principal.revoked',
      actor: options.actor ?? 'operator',
      refs: { principal: id, role: revoked.role, ...changeRefs(options) },
    });
    trx.afterCommit(() => {
      this.#revocations++;
      for (const [hash, { principal }] of this.#trusted) if (principal.id === id) this.#trusted.delete(hash);
    });
    return principalRecord(revoked);
  }

  /** Whether a live admin other than `id` exists: someone who could approve `id`'s proposal. */
  async anotherAdmin(db: Db, id: string): Promise<boolean> {
    const other = await db
      .selectFrom('principals')
      .select('id')
      .where('role', '=', 'admin')
      .where('revoked_at', 'is', null)
      .where('id', '!=', id)
      .executeTakeFirst();
    return other !== undefined;
  }

  async count(): Promise<number> {
    const { n } = await this.#db
      .selectFrom('principals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }
}

/** Who changes a principal, and how: through the API (approved or not), or break-glass. */
export interface ChangeOptions {
  /** The principal acting; absent, the operator on its own machine. */
  actor?: string;
  /** On the operator's machine (the CLI, the first admin), past the two-admin rule: logged as such. */
  breakGlass?: boolean;
  /** The approved proposal this change carries out. */
  proposal?: string;
}

// Only what is set: entries of ordinary changes stay as they were.
function changeRefs(options: ChangeOptions): Record<string, string | boolean> {
  return {
    ...(options.breakGlass === true && { breakGlass: true }),
    ...(options.proposal !== undefined && { proposal: options.proposal }),
  };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Checks a new principal's role, name and scope without the store (the world and subject it
 * names must still exist): the CLI calls it before it opens anything.
 */
export function checkNewPrincipal(input: NewPrincipal) {
  const role = checkRole(input.role);
  if (input.name !== undefined && (input.name.length === 0 || input.name.length > 100)) {
    throw new ValidationError('name', 'must be 1 to 100 characters');
  }
  return { role, name: input.name, scope: checkScope(role, input) };
}

function checkRole(role: string): Role {
  if (!isRole(role)) throw new ValidationError('role', `"${role}" is not a role`);
  return role;
}

function checkScope(role: Role, input: NewPrincipal) {
  const needed = requiredScope[role];
  const given = {
    world: input.world !== undefined,
    actions: input.actions !== undefined,
    jurisdiction: input.jurisdiction !== undefined,
    subject: input.subject !== undefined,
  };
  for (const [scope, isGiven] of Object.entries(given)) {
    if (scope === needed && !isGiven) throw new ValidationError(scope, `is required for role ${role}`);
    if (scope !== needed && isGiven) throw new ValidationError(scope, `does not apply to role ${role}`);
  }
  if (input.world !== undefined && !worldIdRegex.test(input.world)) {
    throw new ValidationError('world', 'is not a world id');
  }
  if (input.actions !== undefined) {
    if (input.actions.length === 0) throw new ValidationError('actions', 'must name at least one action');
    const bad = input.actions.find((a) => !actionRegex.test(a));
    if (bad !== undefined) throw new ValidationError('actions', `"${bad}" is not an action category`);
  }
  if (input.jurisdiction !== undefined && !jurisdictionRegex.test(input.jurisdiction)) {
    throw new ValidationError('jurisdiction', 'is not an ISO 3166 code');
  }
  if (input.organisation !== undefined) {
    if (role === 'subject') throw new ValidationError('organisation', 'does not apply to role subject');
    if (input.organisation.trim().length === 0 || input.organisation.length > 100)
      throw new ValidationError('organisation', 'must be 1 to 100 characters');
  }
  return {
    world: input.world ?? null,
    actions: input.actions === undefined ? null : [...new Set(input.actions)],
    jurisdiction: input.jurisdiction ?? null,
    organisation: input.organisation?.trim() ?? null,
    subject_id: input.subject === undefined ? null : parseDigitalId(input.subject, 'subject'),
  };
}

/** A principals row as the rest of the code sees it. */
export function principalRecord(row: Selectable<PrincipalsTable>): PrincipalRecord {
  return {
    id: row.id,
    role: row.role as Role,
    name: row.name,
    world: row.world_id ?? undefined,
    actions: row.actions === null ? undefined : (JSON.parse(row.actions) as string[]),
    jurisdiction: row.jurisdiction ?? undefined,
    organisation: row.organisation ?? undefined,
    subject: row.subject_id ?? undefined,
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
  };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { type PrincipalRecord, principalRecord } from '../principals/principal-service.ts';
import { encodeBase32 } from '../util/base32.ts';
import { hashSecret, randomSecret } from './codes.ts';
import { SessionNotFoundError } from './errors.ts';

export const sessionCookie = 'mdis_session';
const minute = 60_000;

export interface Session {
  principal: PrincipalRecord;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** A live session as its holder sees it in the list of their sessions. */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The session of the request that asked. */
  current: boolean;
}

/**
 * The id a session is shown and ended by: derived from the hash the store keys it by, one way, so
 * that neither the cookie nor the store's key is ever shown, and no column (nor migration) is needed.
 */
export function sessionIdOf(idHash: string): string {
  const digest = createHash('sha256').update(`mdis session id\0${idHash}`).digest();
  return `ses_${encodeBase32(digest, 16).toLowerCase()}`;
}

/**
 * People's server-side sessions: the cookie holds a random value, the store its hash, the
 * principal, a CSRF token, and when it ends (idle timeout and absolute lifetime from config).
 */
export class SessionService {
  readonly #db: Db;
  readonly #config: Config;
  readonly #now: () => Date;

  constructor(options: { db: Db; config: Config; now: () => Date }) {
    this.#db = options.db;
    this.#config = options.config;
    this.#now = options.now;
  }

  /** Starts a session inside the caller's transaction; returns the cookie value (not stored). */
  async start(
    trx: Db,
    principalId: string,
  ): Promise<{ cookie: string; csrfToken: string; expiresAt: string }> {
    const now = this.#now();
    const cookie = randomSecret();
    const csrfToken = randomSecret();
    const expiresAt = new Date(
      now.getTime() + this.#config.session.absoluteHours * 60 * minute,
    ).toISOString();
    await trx
      .insertInto('sessions')
      .values({
        id_hash: hashSecret(cookie),
        principal_id: principalId,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    return { cookie, csrfToken, expiresAt };
  }

  /** The live session of a cookie value, its idle time renewed; undefined when unknown or ended. */
  async authenticate(cookie: string): Promise<Session | undefined> {
    const idHash = hashSecret(cookie);
    const row = await this.#db
      .selectFrom('sessions')
      .innerJoin('principals', 'principals.id', 'sessions.principal_id')
      .selectAll('principals')
      .select([
        'sessions.csrf_token',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
      ])
      .where('sessions.id_hash', '=', idHash)
      .where('principals.revoked_at', 'is', null)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const now = this.#now();
    const idleEnd = new Date(row.last_seen_at).getTime() + this.#config.session.idleMinutes * minute;
    if (now.getTime() >= idleEnd || now.toISOString() >= row.expires_at) {
      await this.#db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return undefined;
    }
    // Renewed at most once a minute: a page's burst of requests writes once.
    if (now.getTime() - new Date(row.last_seen_at).getTime() >= minute) {
      await this.#db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('id_hash', '=', idHash)
        .execute();
    }
    const { csrf_token, session_created_at, last_seen_at: _seen, expires_at, ...principal } = row;
    return {
      principal: principalRecord(principal),
      csrfToken: csrf_token,
      createdAt: session_created_at,
      expiresAt: expires_at,
    };
  }

  /** Ends one session (sign-out). */
  async end(cookie: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id_hash', '=', hashSecret(cookie)).execute();
  }

  /**
   * Ends every session of a principal (sign-out everywhere), or every one but the session of
   * `keep` (a cookie value); returns how many ended.
   */
  async endAll(principalId: string, db: Db = this.#db, keep?: string): Promise<number> {
    let query = db.deleteFrom('sessions').where('principal_id', '=', principalId);
    if (keep !== undefined) query = query.where('id_hash', '!=', hashSecret(keep));
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * A principal's live sessions, newest first; `current` marks the one of the cookie value given.
   * Ended ones (idle or past their lifetime) are left out: the next use of their cookie deletes them.
   */
  async listOf(principalId: string, currentCookie?: string): Promise<SessionSummary[]> {
    const rows = await this.#sessionsOf(principalId);
    const current = currentCookie === undefined ? undefined : hashSecret(currentCookie);
    const now = this.#now();
    return rows
      .filter((row) => {
        const idleEnd = new Date(row.last_seen_at).getTime() + this.#config.session.idleMinutes * minute;
        return now.getTime() < idleEnd && now.toISOString() < row.expires_at;
      })
      .map((row) => ({
        id: sessionIdOf(row.id_hash),
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        current: row.id_hash === current,
      }));
  }

  /** Ends one of a principal's sessions by its shown id; 404 when the principal has none such. */
  async endOne(principalId: string, id: string): Promise<void> {
    // A person holds a handful of sessions: they are read by the principal's index and matched here.
    const found = (await this.#sessionsOf(principalId)).find((row) => sessionIdOf(row.id_hash) === id);
    if (found === undefined) throw new SessionNotFoundError(id);
    await this.#db
      .deleteFrom('sessions')
      .where('id_hash', '=', found.id_hash)
      .where('principal_id', '=', principalId)
      .execute();
  }

  #sessionsOf(principalId: string) {
    return this.#db
      .selectFrom('sessions')
      .select(['id_hash', 'created_at', 'last_seen_at', 'expires_at'])
      .where('principal_id', '=', principalId)
      .orderBy('created_at', 'desc')
      .orderBy('id_hash')
      .execute();
  }

  /** The Set-Cookie value for a new session, or one that clears it. */
  cookieHeader(value: string | undefined): string {
    const secure = this.#config.publicUrl?.startsWith('https:') ? '; Secure' : '';
    const maxAge = value === undefined ? 0 : this.#config.session.absoluteHours * 3600;
    return `${sessionCookie}=${value ?? ''}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  }
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Compares a CSRF token in constant time. */
export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

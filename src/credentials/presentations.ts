import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { CredentialNotFoundError, CredentialRevokedError, PresentationRefusedError } from '../errors.ts';
import type { ServicePseudonymService } from '../identity/service-pseudonyms.ts';
import type { Keyring } from '../keyring.ts';
import type { LockService } from '../rights/lock-service.ts';
import type { CredentialService } from './credential-service.ts';
import { InvalidNonceError } from './errors.ts';
import { splitSdJwt } from './sd-jwt.ts';
import { PresentationVerifier } from './verifier.ts';

/** Seconds a service's presentation nonce may be used. */
export const presentationNonceLifetimeSeconds = 300;

/**
 * A service maps a credential presented to it to its own pseudonym for the person (issue 16): the
 * same `SV…` its sign-in would give. The presentation's key binding must be addressed to the
 * service (its principal id as `aud`) and answer a nonce mdis gave that service, single-use, so
 * that a service can neither replay a presentation made to another nor one made to itself.
 */
export class PresentationPseudonyms {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #credentials: CredentialService;
  readonly #locks: LockService;
  readonly #pseudonyms: ServicePseudonymService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    keyring: Keyring;
    credentials: CredentialService;
    locks: LockService;
    servicePseudonyms: ServicePseudonymService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#credentials = options.credentials;
    this.#locks = options.locks;
    this.#pseudonyms = options.servicePseudonyms;
    this.#now = options.now;
  }

  /** A nonce for `service` alone: its expiry and 128 random bits under a keyed hash (no row until spent). */
  nonce(service: string): { nonce: string; expiresAt: string } {
    const expires = Math.floor(this.#now().getTime() / 1000) + presentationNonceLifetimeSeconds;
    const body = `${expires.toString(36)}.${randomBytes(16).toString('base64url')}`;
    return {
      nonce: `${body}.${this.#mac(service, body)}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /**
   * Verifies the presentation (signature, disclosures, key binding to `service` and a nonce of its,
   * status), finds the credential's holder and records the service's pseudonym for it.
   */
  async pseudonymFor(service: string, presentation: string): Promise<string> {
    const nonce = keyBindingNonce(presentation);
    const verifier = await this.#verifier();
    const verified = await verifier.verify(presentation, { audience: service, nonce: nonce ?? '' });
    if (!verified.ok) {
      if (verified.reason === 'revoked') return this.#refuseRevoked(presentation);
      throw new PresentationRefusedError(verified.reason, verified.message);
    }
    const body = this.#checkNonce(service, nonce);
    return inTransaction(this.#db, async (tx) => {
      await this.#spend(tx, body);
      const subject = await this.#holder(tx, verified.sub);
      await this.#locks.assertUnlocked(tx, subject);
      return this.#pseudonyms.record(tx, { service, subject }, service);
    });
  }

  // The verifier mdis runs on its own credentials: its keys and status lists read in-process, fresh
  // for each presentation (a revocation counts at once; a key rotated in is known).
  async #verifier(): Promise<PresentationVerifier> {
    const keys = await this.#credentials.keys.published();
    const prefix = this.#credentials.statusListUri(0).slice(0, -1);
    return new PresentationVerifier({
      issuer: this.#credentials.issuer(),
      keys,
      now: this.#now,
      fetchStatusList: async (uri) => {
        const list = uri.startsWith(prefix) ? Number(uri.slice(prefix.length)) : Number.NaN;
        const token = Number.isInteger(list) ? await this.#credentials.statusList(list) : undefined;
        if (token === undefined) throw new Error(`no status list at ${uri}`);
        return token;
      },
    });
  }

  /** The holder behind a credential's own pseudonym; an erased one is as unknown as none. */
  async #holder(tx: Tx, sub: string): Promise<string> {
    const row = await tx
      .selectFrom('credentials')
      .innerJoin('subjects', 'subjects.id', 'credentials.subject_id')
      .select(['credentials.subject_id', 'credentials.revoked_at', 'subjects.erased_at'])
      .where('credentials.holder_sub', '=', sub)
      .executeTakeFirst();
    if (row === undefined || row.erased_at !== null) throw new CredentialNotFoundError();
    if (row.revoked_at !== null) throw new CredentialRevokedError();
    return row.subject_id;
  }

  // Revocation is the verifier's last check: the presentation is authentic, so its `sub` is
  // mdis's own and says whether the holder was erased (404) or locked (409) rather than revoked.
  async #refuseRevoked(presentation: string): Promise<never> {
    const payload = decodeJwtPayload(splitSdJwt(presentation).jwt);
    const sub = typeof payload?.sub === 'string' ? payload.sub : '';
    const subject = await inTransaction(this.#db, async (tx) => {
      try {
        return await this.#holder(tx, sub);
      } catch (error) {
        if (error instanceof CredentialRevokedError) return this.#holderOfRevoked(tx, sub);
        throw error;
      }
    });
    await inTransaction(this.#db, (tx) => this.#locks.assertUnlocked(tx, subject));
    throw new CredentialRevokedError();
  }

  async #holderOfRevoked(tx: Tx, sub: string): Promise<string> {
    const row = await tx
      .selectFrom('credentials')
      .select('subject_id')
      .where('holder_sub', '=', sub)
      .executeTakeFirstOrThrow();
    return row.subject_id;
  }

  #mac(service: string, body: string): string {
    return this.#keyring.keyedHash(`presentation nonce|${service}|${body}`);
  }

  /** The nonce's body if it is one mdis gave `service` and it has not expired. */
  #checkNonce(service: string, nonce: string | undefined): string {
    if (nonce === undefined || nonce.length > 200)
      throw new InvalidNonceError('the key binding has no nonce from mdis');
    const cut = nonce.lastIndexOf('.');
    const body = nonce.slice(0, Math.max(cut, 0));
    const mac = Buffer.from(nonce.slice(cut + 1));
    const expected = Buffer.from(this.#mac(service, body));
    if (cut < 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
      throw new InvalidNonceError('the nonce was not given to you by mdis');
    }
    const expires = Number.parseInt(body.split('.')[0] ?? '', 36);
    if (!(expires * 1000 > this.#now().getTime()))
      throw new InvalidNonceError('the nonce has expired; ask for a new one');
    return body;
  }

  async #spend(tx: Tx, body: string): Promise<void> {
    const expires = Number.parseInt(body.split('.')[0] ?? '', 36);
    const spent = await tx
      .insertInto('credential_spent_nonces')
      .values({
        nonce_hash: this.#keyring.keyedHash(`spent presentation nonce|${body}`),
        expires_at: new Date(expires * 1000).toISOString(),
      })
      .onConflict((oc) => oc.column('nonce_hash').doNothing())
      .executeTakeFirst();
    if (Number(spent.numInsertedOrUpdatedRows ?? 0n) === 0) {
      throw new InvalidNonceError('the nonce was used already; ask for a new one');
    }
  }
}

/** The key-binding JWT's nonce, read before it is verified (the verifier then checks it is signed). */
function keyBindingNonce(presentation: string): string | undefined {
  try {
    const nonce = decodeJwtPayload(splitSdJwt(presentation).kb)?.nonce;
    return typeof nonce === 'string' ? nonce : undefined;
  } catch {
    return undefined;
  }
}

function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return typeof decoded === 'object' && decoded !== null ? (decoded as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

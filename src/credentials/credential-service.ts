import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { unliftedSanctions } from '../enforcement/unlifted-sanctions.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { LockService } from '../rights/lock-service.ts';
import { newId } from '../util/ids.ts';
import { dayMs } from '../util/time.ts';
import { type ConfigurationId, claimsOf, configurations } from './configurations.ts';
import { type CredentialRequest, gradeOf, parseRequest, pick } from './credential-request.ts';
import {
  InsufficientScopeError,
  InvalidAccessTokenError,
  UnknownCredentialConfigurationError,
} from './errors.ts';
import type { CredentialKeys, SigningKey } from './keys.ts';
import type { Grant, OfferService } from './offers.ts';
import { checkProof, spendNonce } from './proof.ts';
import { issueSdJwt } from './sd-jwt.ts';
import { allocateEntry, statusListToken } from './status-list.ts';

/** Why a credential stopped being valid; the lock and erasure code passes its own. */
export type RevocationReason = 'reissued' | 'banned' | 'locked' | 'erased' | (string & {});

/** A credential as its subject sees it in their list: never its claims (mdis does not keep them). */
export interface CredentialRecord {
  id: string;
  type: ConfigurationId;
  issuedAt: string;
  expiresAt: string;
  status: 'valid' | 'revoked' | 'expired';
  revokedAt?: string;
  revokedReason?: string;
  statusList: string;
}

/** What an access token of mdis's OpenID Provider grants a wallet (OidcService.credentialGrantOf). */
export interface ProviderGrant {
  subject: string;
  configurations: ConfigurationId[];
}

/** The paths of the issuer's endpoints, under its identifier (the public URL). */
export const credentialPaths = {
  token: '/v1/credentials/token',
  nonce: '/v1/credentials/nonce',
  credential: '/v1/credentials/credential',
  statusList: '/v1/credentials/status',
} as const;

/**
 * Issues SD-JWT VCs over OpenID4VCI and keeps their status: each credential takes an entry in a
 * status list, and is revoked there on a reissue of its type, a ban (standing), and a lock or an
 * erasure (`revokeAllOf`). The store keeps what revocation needs (id, subject, type, status entry,
 * times), never a claim value.
 */
export class CredentialService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #keyring: Keyring;
  readonly #subjects: SubjectService;
  readonly #locks: LockService;
  readonly #now: () => Date;
  readonly keys: CredentialKeys;
  readonly offers: OfferService;
  readonly issuer: () => string;
  /** The OpenID Provider's access tokens (authorization code flow): set once both are built. */
  providerGrantOf: (token: string) => Promise<ProviderGrant | undefined> = async () => undefined;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    keyring: Keyring;
    subjects: SubjectService;
    locks: LockService;
    keys: CredentialKeys;
    offers: OfferService;
    now: () => Date;
    issuer: () => string;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#keyring = options.keyring;
    this.#subjects = options.subjects;
    this.#locks = options.locks;
    this.#now = options.now;
    this.keys = options.keys;
    this.offers = options.offers;
    this.issuer = options.issuer;
  }

  /**
   * The credential endpoint (OpenID4VCI 1.0 section 8): one credential of the configuration asked
   * for, bound to the key that proved possession with a fresh c_nonce. Every check comes before
   * anything is written; the nonce is spent in the issuing transaction.
   */
  async issue(
    authorization: string | undefined,
    body: unknown,
  ): Promise<{ credentials: { credential: string }[] }> {
    const token = /^bearer ([A-Za-z0-9_-]{20,100})$/i.exec(authorization ?? '')?.[1];
    if (token === undefined)
      throw new InvalidAccessTokenError('send the access token: Authorization: Bearer <token>');
    const grant = (await this.offers.grantOf(this.#db, token)) ?? (await this.#providerGrant(token));
    const request = parseRequest(body);
    if (!grant.configurations.includes(request.configuration)) {
      throw new UnknownCredentialConfigurationError(request.configuration);
    }
    const now = this.#now();
    const { holderJwk, nonce } = await checkProof(request.proof, { audience: this.issuer(), now });
    const { natural, kind } = await this.#subjects.get(grant.subject);
    const key = await this.keys.active();
    const credential = await inTransaction(this.#db, async (tx) => {
      await spendNonce(tx, this.#keyring, nonce, now);
      return this.#issueIn(tx, { grant, request, holderJwk, subject: { natural, kind }, key, now });
    });
    return { credentials: [{ credential }] };
  }

  // An access token of the authorization code flow: the person who consented at mdis's OpenID
  // Provider, the credentials of the scopes granted, never the grade (chosen on an offer only).
  async #providerGrant(token: string): Promise<Grant> {
    const granted = await this.providerGrantOf(token);
    if (granted === undefined)
      throw new InvalidAccessTokenError('the access token is unknown or has expired');
    if (granted.configurations.length === 0) {
      throw new InsufficientScopeError(
        'the access token grants no credential scope (mdis_identity, mdis_standing)',
      );
    }
    return { subject: granted.subject, configurations: granted.configurations, withGrade: false };
  }

  // The credential itself, in the transaction that spent its nonce: its claims read from the
  // subject's facts as they are in it (a ban committed before is in the claims, one after revokes
  // it), its status entry, the reissue's revocation, its row and its log entry.
  async #issueIn(
    tx: Tx,
    options: {
      grant: Grant;
      request: CredentialRequest;
      holderJwk: object;
      subject: { natural: Record<string, unknown>; kind: string };
      key: SigningKey;
      now: Date;
    },
  ): Promise<string> {
    const { grant, request, holderJwk, key, now } = options;
    // A person who locked its identity gets no new credential (issue 15), even on an offer made before.
    await this.#locks.assertUnlocked(tx, grant.subject);
    const facts = {
      ...options.subject,
      sanctions: await unliftedSanctions(tx, [grant.subject]),
      grade: await gradeOf(tx, grant.subject),
    };
    const all = claimsOf(request.configuration, facts, { withGrade: grant.withGrade, today: now });
    const disclosable = request.claims === undefined ? all : pick(all, request.claims);
    const id = newId('vc');
    const sub = this.#keyring.keyedHash(`credential subject|${id}`);
    const entry = await allocateEntry(tx);
    const config = configurations[request.configuration];
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + config.lifetimeDays * (dayMs / 1000);
    await this.revokeAllOf(tx, grant.subject, 'reissued', [request.configuration]);
    const { sdJwt } = issueSdJwt({
      header: { alg: 'EdDSA', typ: 'dc+sd-jwt', kid: key.kid },
      payload: {
        iss: this.issuer(),
        iat,
        exp,
        vct: `${this.issuer()}${config.vctPath}`,
        sub,
        cnf: { jwk: holderJwk },
        status: { status_list: { idx: entry.index, uri: this.statusListUri(entry.list) } },
      },
      disclosable,
      key: key.privateKey,
    });
    await tx
      .insertInto('credentials')
      .values({
        id,
        subject_id: grant.subject,
        type: request.configuration,
        status_list: entry.list,
        status_index: entry.index,
        kid: key.kid,
        issued_at: now.toISOString(),
        expires_at: new Date(exp * 1000).toISOString(),
        revoked_at: null,
        revoked_reason: null,
        holder_sub: sub,
      })
      .execute();
    await this.#ledger.append(tx, {
      kind: 'credential.issued',
      actor: 'credential-issuer',
      refs: { credential: id, type: request.configuration, subject: grant.subject },
      details: {
        statusList: entry.list,
        statusIndex: entry.index,
        kid: key.kid,
        claims: Object.keys(disclosable),
      },
    });
    return sdJwt;
  }

  /**
   * Revokes every valid credential of `subject` (of the given types, else all), in the caller's
   * transaction: the status lists say so as soon as it commits. The lock and erasure of the
   * person's data call this with `locked` or `erased`; a ban calls it for standing credentials.
   * Returns how many were revoked.
   */
  async revokeAllOf(
    tx: Tx,
    subject: string,
    reason: RevocationReason,
    types?: readonly ConfigurationId[],
  ): Promise<number> {
    const now = this.#now().toISOString();
    let query = tx
      .updateTable('credentials')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('subject_id', '=', subject)
      .where('revoked_at', 'is', null);
    if (types !== undefined) query = query.where('type', 'in', [...types]);
    const revoked = await query.returning(['id', 'type']).execute();
    for (const row of revoked) {
      await this.#ledger.append(tx, {
        kind: 'credential.revoked',
        actor: 'credential-issuer',
        refs: { credential: row.id, type: row.type, subject },
        details: { reason },
      });
    }
    return revoked.length;
  }

  /** A sanction was imposed (in its transaction): a ban in force revokes the standing credentials. */
  async sanctioned(tx: Tx, sanction: { subject: string; kind: string; startsAt: string }): Promise<void> {
    if (sanction.kind !== 'ban' || sanction.startsAt > this.#now().toISOString()) return;
    await this.revokeAllOf(tx, sanction.subject, 'banned', ['mdis_standing']);
  }

  /** The subject's credentials, newest first, with their status. */
  async listOf(subject: string): Promise<CredentialRecord[]> {
    const rows = await this.#db
      .selectFrom('credentials')
      .selectAll()
      .where('subject_id', '=', subject)
      .orderBy('issued_at', 'desc')
      .limit(100)
      .execute();
    const now = this.#now().toISOString();
    return rows.map((row) => ({
      id: row.id,
      type: row.type as ConfigurationId,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
      status: row.revoked_at !== null ? 'revoked' : row.expires_at <= now ? 'expired' : 'valid',
      ...(row.revoked_at === null
        ? {}
        : { revokedAt: row.revoked_at, revokedReason: row.revoked_reason ?? '' }),
      statusList: this.statusListUri(row.status_list),
    }));
  }

  /**
   * Deletes what has expired and can no longer be used: offers, access tokens, and spent nonces
   * (an expired nonce is refused by its own expiry, so its row is no longer needed).
   */
  async pruneExpired(): Promise<number> {
    const now = this.#now().toISOString();
    let deleted = 0;
    for (const table of [
      'credential_offers',
      'credential_access_tokens',
      'credential_spent_nonces',
    ] as const) {
      const result = await this.#db.deleteFrom(table).where('expires_at', '<=', now).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }

  /** The signed status list token of list `list`, or undefined if there is no such list. */
  async statusList(list: number): Promise<string | undefined> {
    const key = await this.keys.active();
    return statusListToken({ db: this.#db, list, uri: this.statusListUri(list), key, now: this.#now() });
  }

  statusListUri(list: number): string {
    return `${this.issuer()}${credentialPaths.statusList}/${list}`;
  }
}

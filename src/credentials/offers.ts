import { randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { ValidationError } from '../errors.ts';
import type { Keyring } from '../keyring.ts';
import type { LockService } from '../rights/lock-service.ts';
import { type ConfigurationId, isConfigurationId } from './configurations.ts';
import { InvalidGrantError, UnsupportedGrantTypeError } from './errors.ts';
import { authorizationServerOf } from './metadata.ts';

export const preAuthorizedGrant = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
/** Seconds an offer's pre-authorized code can be redeemed. */
export const offerLifetimeSeconds = 600;
/** Seconds an access token of the credential endpoint lives. */
export const accessTokenLifetimeSeconds = 300;
/** Wrong transaction codes before the offer is void. */
export const maxTxCodeAttempts = 5;
const txCodeLength = 6;

export interface NewOffer {
  /** The offer itself (OpenID4VCI 1.0 section 4.1.1). */
  offer: Record<string, unknown>;
  /** `openid-credential-offer://?credential_offer=...`, for a QR code or a link. */
  offerUri: string;
  /** Shown to the person only, never in the offer: the wallet asks them for it. */
  txCode: string;
  expiresAt: string;
}

export interface Grant {
  subject: string;
  configurations: ConfigurationId[];
  withGrade: boolean;
}

/**
 * Credential offers with a pre-authorized code and a transaction code (OpenID4VCI 1.0 sections
 * 4.1 and 6.1), and the access tokens they are redeemed for. Codes and tokens are kept as keyed
 * hashes only: the store cannot redeem an offer it holds.
 */
export class OfferService {
  readonly #db: Db;
  readonly #locks: LockService;
  readonly #keyring: Keyring;
  readonly #now: () => Date;
  readonly #issuer: () => string;

  constructor(options: {
    db: Db;
    keyring: Keyring;
    now: () => Date;
    issuer: () => string;
    locks: LockService;
  }) {
    this.#db = options.db;
    this.#locks = options.locks;
    this.#keyring = options.keyring;
    this.#now = options.now;
    this.#issuer = options.issuer;
  }

  async create(subject: string, input: { configurations: string[]; withGrade: boolean }): Promise<NewOffer> {
    const configurations = [...new Set(input.configurations)];
    if (configurations.length === 0) throw new ValidationError('configurations', 'name at least one');
    for (const [i, id] of configurations.entries()) {
      if (!isConfigurationId(id))
        throw new ValidationError(`configurations.${i}`, `no configuration "${id}"`);
    }
    const code = randomBytes(32).toString('base64url');
    const txCode = String(randomInt(10 ** txCodeLength)).padStart(txCodeLength, '0');
    const codeHash = this.#hash('code', code);
    const now = this.#now();
    const expiresAt = new Date(now.getTime() + offerLifetimeSeconds * 1000).toISOString();
    await inTransaction(this.#db, async (tx) => {
      // No offer to a person who locked its identity: the wallet could not redeem it anyway.
      await this.#locks.assertUnlocked(tx, subject);
      await tx
        .insertInto('credential_offers')
        .values({
          code_hash: codeHash,
          tx_code_hash: this.#hash('tx code', `${codeHash}|${txCode}`),
          subject_id: subject,
          configurations: JSON.stringify(configurations),
          with_grade: input.withGrade ? 1 : 0,
          failed_attempts: 0,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          used_at: null,
        })
        .execute();
    });
    const offer = {
      credential_issuer: this.#issuer(),
      credential_configuration_ids: configurations,
      grants: {
        [preAuthorizedGrant]: {
          'pre-authorized_code': code,
          // The issuer names two authorization servers (the OpenID Provider's is the other one).
          authorization_server: authorizationServerOf(this.#issuer()),
          tx_code: { input_mode: 'numeric', length: txCodeLength, description: 'The code mdis shows you' },
        },
      },
    };
    const offerUri = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
    return { offer, offerUri, txCode, expiresAt };
  }

  /**
   * The token endpoint (OpenID4VCI 1.0 section 6): a pre-authorized code and its transaction code
   * for an access token, once. A wrong transaction code counts against the offer (committed even
   * though the request fails), so the six digits cannot be guessed.
   */
  async redeem(form: Record<string, string | undefined>): Promise<{ accessToken: string; grant: Grant }> {
    if (form.grant_type !== preAuthorizedGrant) throw new UnsupportedGrantTypeError(String(form.grant_type));
    const code = form['pre-authorized_code'];
    if (code === undefined || code.length > 100) throw new InvalidGrantError('no pre-authorized_code');
    const codeHash = this.#hash('code', code);
    const now = this.#now().toISOString();
    const outcome = await inTransaction(this.#db, async (tx) => {
      const offer = await tx
        .selectFrom('credential_offers')
        .selectAll()
        .where('code_hash', '=', codeHash)
        .executeTakeFirst();
      if (offer === undefined) return { refused: 'the pre-authorized code is unknown' };
      if (offer.used_at !== null) return { refused: 'the pre-authorized code was redeemed already' };
      if (offer.expires_at <= now) return { refused: 'the pre-authorized code has expired' };
      if (offer.failed_attempts >= maxTxCodeAttempts) return { refused: 'too many wrong transaction codes' };
      if (this.#hash('tx code', `${codeHash}|${form.tx_code ?? ''}`) !== offer.tx_code_hash) {
        await tx
          .updateTable('credential_offers')
          .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
          .where('code_hash', '=', codeHash)
          .execute();
        return { refused: 'the transaction code is wrong' };
      }
      // Conditional, so that of two redemptions at once only one gets a token.
      const taken = await tx
        .updateTable('credential_offers')
        .set({ used_at: now })
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1)
        return { refused: 'the pre-authorized code was redeemed already' };
      const accessToken = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.parse(now) + accessTokenLifetimeSeconds * 1000).toISOString();
      const grant = { ...offer, token_hash: this.#hash('access token', accessToken), expires_at: expiresAt };
      await tx
        .insertInto('credential_access_tokens')
        .values({
          token_hash: grant.token_hash,
          subject_id: offer.subject_id,
          configurations: offer.configurations,
          with_grade: offer.with_grade,
          expires_at: expiresAt,
        })
        .execute();
      return { accessToken, grant: toGrant(offer) };
    });
    if ('refused' in outcome) throw new InvalidGrantError(outcome.refused ?? 'refused');
    return outcome;
  }

  /** The grant behind an access token, or undefined when it is unknown or expired. */
  async grantOf(db: Db, accessToken: string): Promise<Grant | undefined> {
    const row = await db
      .selectFrom('credential_access_tokens')
      .selectAll()
      .where('token_hash', '=', this.#hash('access token', accessToken))
      .executeTakeFirst();
    if (row === undefined || row.expires_at <= this.#now().toISOString()) return undefined;
    return toGrant(row);
  }

  #hash(what: string, text: string): string {
    return this.#keyring.keyedHash(`credential offer ${what}|${text}`);
  }
}

function toGrant(row: { subject_id: string; configurations: string; with_grade: number }): Grant {
  return {
    subject: row.subject_id,
    configurations: JSON.parse(row.configurations) as ConfigurationId[],
    withGrade: row.with_grade === 1,
  };
}

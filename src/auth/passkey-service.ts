import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { ConflictError, NotFoundError, PasskeyRequiredError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { ActivationService } from './activation-service.ts';
import { SignInRefusedError } from './errors.ts';
import { relyingParty } from './relying-party.ts';
import type { SessionService } from './session-service.ts';

const challengeMs = 5 * 60_000;
/**
 * The COSE algorithms a passkey may use: ES256, EdDSA, RS256. Given to both registration calls, so
 * that a passkey is verified against what was offered (and the library does not probe the runtime
 * for ML-DSA, which prints Node's experimental-feature warnings at the first registration).
 */
const passkeyAlgorithms = [-7, -8, -257];

type Purpose = 'activation' | 'sign-in' | 'add-passkey' | Confirmation;

/** An act a signed-in person confirms with a fresh passkey assertion, its challenge bound to it. */
export type Confirmation = 'unlock';

export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | undefined;
}

export interface StartedSession {
  principalId: string;
  cookie: string;
  csrfToken: string;
  expiresAt: string;
  /** Set when a registrar issued a recovery code since the person last signed in. */
  recoveryCodeIssuedAt?: string;
}

/**
 * Passkeys (WebAuthn, user verification required): registration at activation and later,
 * sign-in, removal (never the last). Each challenge is stored and answered once, so a replayed
 * response finds none; a failed ceremony writes nothing and leaves its challenge for a retry.
 */
export class PasskeyService {
  readonly #db: Db;
  readonly #config: Config;
  readonly #ledger: LedgerService;
  readonly #activation: ActivationService;
  readonly #sessions: SessionService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    config: Config;
    ledger: LedgerService;
    activation: ActivationService;
    sessions: SessionService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#config = options.config;
    this.#ledger = options.ledger;
    this.#activation = options.activation;
    this.#sessions = options.sessions;
    this.#now = options.now;
  }

  /** Registration options for the person an activation code names (the code stays unused). */
  async beginActivation(code: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const principalId = await this.#activation.check(code);
    return this.#registrationOptions(principalId, 'activation');
  }

  /** Uses the code, stores the passkey and starts a session, all or nothing. */
  async finishActivation(code: string, response: RegistrationResponseJSON): Promise<StartedSession> {
    return inTransaction(this.#db, async (trx) => {
      const principalId = await this.#activation.redeem(trx, code);
      await this.#register(trx, principalId, 'activation', response, 'first passkey');
      await this.#ledger.append(trx, {
        kind: 'principal.activated',
        actor: principalId,
        refs: { principal: principalId },
      });
      return this.#startSession(trx, principalId);
    });
  }

  async beginAdd(principalId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.#registrationOptions(principalId, 'add-passkey');
  }

  async finishAdd(
    principalId: string,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<PasskeyInfo> {
    return inTransaction(this.#db, (trx) => this.#register(trx, principalId, 'add-passkey', response, name));
  }

  async beginSignIn(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const rp = relyingParty(this.#config);
    const options = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: 'required' });
    await this.#storeChallenge(options.challenge, 'sign-in', null);
    return options;
  }

  async finishSignIn(response: AuthenticationResponseJSON): Promise<StartedSession> {
    return inTransaction(this.#db, async (trx) => {
      const challenge = await this.#takeChallenge(trx, response.response?.clientDataJSON, 'sign-in', null);
      const principalId = await this.#verifyAssertion(trx, challenge, response);
      return this.#startSession(trx, principalId);
    });
  }

  /**
   * Authentication options for the person to confirm `act` with one of its own passkeys; the
   * challenge is stored for this principal and this act only. A principal with no passkey (a
   * machine's bearer token) cannot confirm anything: 403 passkey_required.
   */
  async beginConfirmation(
    principalId: string,
    act: Confirmation,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const own = await this.list(principalId);
    if (own.length === 0) throw new PasskeyRequiredError();
    const rp = relyingParty(this.#config);
    const options = await generateAuthenticationOptions({
      rpID: rp.rpID,
      userVerification: 'required',
      allowCredentials: own.map((p) => ({ id: p.id })),
    });
    await this.#storeChallenge(options.challenge, act, principalId);
    return options;
  }

  /**
   * Inside the act's transaction: `response` answers a challenge given to this principal for
   * `act`, with one of its own passkeys (user verified). A failure throws, and the act with it.
   */
  async confirm(
    trx: Tx,
    principalId: string,
    act: Confirmation,
    response: AuthenticationResponseJSON,
  ): Promise<void> {
    if ((await this.list(principalId, trx)).length === 0) throw new PasskeyRequiredError();
    const challenge = await this.#takeChallenge(trx, response.response?.clientDataJSON, act, principalId);
    await this.#verifyAssertion(trx, challenge, response, principalId);
  }

  /** Verifies an assertion against the stored passkey and counts its use; returns its principal. */
  async #verifyAssertion(
    trx: Db,
    challenge: string,
    response: AuthenticationResponseJSON,
    expectedPrincipal?: string,
  ): Promise<string> {
    const passkey = await trx
      .selectFrom('passkeys')
      .selectAll()
      .where('id', '=', String(response.id))
      .executeTakeFirst();
    if (passkey === undefined)
      throw new SignInRefusedError('passkey_refused', 'this passkey is not registered');
    if (expectedPrincipal !== undefined && passkey.principal_id !== expectedPrincipal) {
      throw new SignInRefusedError('passkey_refused', 'this passkey is not yours');
    }
    const rp = relyingParty(this.#config);
    const verification = await refuseOnThrow(() =>
      verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        requireUserVerification: true,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(passkey.public_key),
          counter: Number(passkey.counter),
        },
      }),
    );
    if (!verification.verified)
      throw new SignInRefusedError('passkey_refused', 'the assertion did not verify');
    await trx
      .updateTable('passkeys')
      .set({ counter: verification.authenticationInfo.newCounter, last_used_at: this.#now().toISOString() })
      .where('id', '=', passkey.id)
      .execute();
    return passkey.principal_id;
  }

  async list(principalId: string, db: Db = this.#db): Promise<PasskeyInfo[]> {
    const rows = await db
      .selectFrom('passkeys')
      .selectAll()
      .where('principal_id', '=', principalId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toInfo);
  }

  /** Removes a passkey; the last one stays, or the person could never sign in again. */
  async remove(principalId: string, id: string): Promise<void> {
    await inTransaction(this.#db, async (trx) => {
      const rows = await trx
        .selectFrom('passkeys')
        .select('id')
        .where('principal_id', '=', principalId)
        .execute();
      if (!rows.some((row) => row.id === id))
        throw new NotFoundError('passkey_not_found', 'you have no passkey with this id');
      if (rows.length === 1) {
        throw new ConflictError('last_passkey', 'this is your last passkey: add another before removing it');
      }
      await trx.deleteFrom('passkeys').where('id', '=', id).execute();
    });
  }

  async #registrationOptions(
    principalId: string,
    purpose: Purpose,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const rp = relyingParty(this.#config);
    const principal = await this.#db
      .selectFrom('principals')
      .select(['name'])
      .where('id', '=', principalId)
      .executeTakeFirstOrThrow();
    const existing = await this.list(principalId);
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.rpID,
      userName: principal.name,
      userID: new TextEncoder().encode(principalId),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      supportedAlgorithmIDs: passkeyAlgorithms,
    });
    await this.#storeChallenge(options.challenge, purpose, principalId);
    return options;
  }

  async #register(
    trx: Db,
    principalId: string,
    purpose: Purpose,
    response: RegistrationResponseJSON,
    name: string,
  ): Promise<PasskeyInfo> {
    const challenge = await this.#takeChallenge(trx, response.response?.clientDataJSON, purpose, principalId);
    const rp = relyingParty(this.#config);
    const verification = await refuseOnThrow(() =>
      verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        requireUserVerification: true,
        supportedAlgorithmIDs: passkeyAlgorithms,
      }),
    );
    if (!verification.verified || verification.registrationInfo === undefined) {
      throw new SignInRefusedError('passkey_refused', 'the registration did not verify');
    }
    const { credential } = verification.registrationInfo;
    const taken = await trx
      .selectFrom('passkeys')
      .select('id')
      .where('id', '=', credential.id)
      .executeTakeFirst();
    if (taken !== undefined) throw new ConflictError('passkey_exists', 'this passkey is already registered');
    const row = {
      id: credential.id,
      principal_id: principalId,
      public_key: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports === undefined ? null : JSON.stringify(credential.transports),
      name,
      created_at: this.#now().toISOString(),
      last_used_at: null,
    };
    await trx.insertInto('passkeys').values(row).execute();
    return toInfo(row);
  }

  async #storeChallenge(challenge: string, purpose: Purpose, principalId: string | null): Promise<void> {
    const expiresAt = new Date(this.#now().getTime() + challengeMs).toISOString();
    await this.#db
      .insertInto('webauthn_challenges')
      .values({ challenge, purpose, principal_id: principalId, expires_at: expiresAt })
      .execute();
  }

  /** Deletes the challenge the response answers (rolled back if the ceremony fails). */
  async #takeChallenge(
    trx: Db,
    clientDataJSON: unknown,
    purpose: Purpose,
    principalId: string | null,
  ): Promise<string> {
    const challenge = challengeOf(clientDataJSON);
    let query = trx
      .deleteFrom('webauthn_challenges')
      .where('challenge', '=', challenge)
      .where('purpose', '=', purpose)
      .where('expires_at', '>', this.#now().toISOString());
    query =
      principalId === null
        ? query.where('principal_id', 'is', null)
        : query.where('principal_id', '=', principalId);
    const taken = await query.executeTakeFirst();
    if (Number(taken.numDeletedRows) !== 1) {
      throw new SignInRefusedError(
        'passkey_refused',
        'this response answers no open challenge (replayed or expired)',
      );
    }
    return challenge;
  }

  async #startSession(trx: Tx, principalId: string): Promise<StartedSession> {
    const session = await this.#sessions.start(trx, principalId);
    const notice = await trx
      .deleteFrom('sign_in_notices')
      .where('principal_id', '=', principalId)
      .returning('recovery_code_issued_at')
      .executeTakeFirst();
    return {
      principalId,
      ...session,
      ...(notice === undefined ? {} : { recoveryCodeIssuedAt: notice.recovery_code_issued_at }),
    };
  }
}

function challengeOf(clientDataJSON: unknown): string {
  if (typeof clientDataJSON !== 'string')
    throw new SignInRefusedError('passkey_refused', 'clientDataJSON is missing');
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    if (typeof parsed.challenge === 'string' && parsed.challenge.length <= 200) return parsed.challenge;
  } catch {
    // refused below
  }
  throw new SignInRefusedError('passkey_refused', 'clientDataJSON is not valid');
}

/** The library throws on every failed check (origin, RP ID, counter…): each is a refusal. */
async function refuseOnThrow<T>(verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    throw new SignInRefusedError(
      'passkey_refused',
      `the passkey response was refused: ${(error as Error).message}`,
    );
  }
}

function toInfo(row: {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}): PasskeyInfo {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at ?? undefined };
}

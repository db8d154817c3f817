import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { readCookie, type SessionService, sessionCookie } from '../auth/session-service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { unliftedSanctions } from '../enforcement/unlifted-sanctions.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { AttributeVault } from '../identity/attribute-vault.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { ServicePseudonymService } from '../identity/service-pseudonyms.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { PrincipalService } from '../principals/principal-service.ts';
import type { Principal } from '../principals/roles.ts';
import type { LockService } from '../rights/lock-service.ts';
import { handlePattern } from '../util/patterns.ts';
import { claimDescriptions, isOver, type Scope, scopeClaims, standingIn } from './claims.ts';
import { isServiceClient, OidcClientService } from './client-service.ts';
import { publishedKids } from './keys.ts';
import { type Callback, createProvider } from './provider.ts';
import { credentialClaims, credentialScopes, isWalletClient } from './wallet-clients.ts';

const handleRegex = new RegExp(handlePattern);

/** What a world is told when the person has locked the use of its identity. */
export const lockedDescription = 'the person has locked the use of this identity';

/**
 * What the consent page shows: the world (or the service) asking, each claim it asks for, the
 * avatar a world names.
 */
export interface ConsentRequest {
  uid: string;
  /** A world's sign-in; absent for a service's. */
  world?: { id: string; name: string };
  /** A service's sign-in: it learns a pseudonym of its own, binds no avatar. */
  service?: { id: string; name: string };
  /** A wallet asking for credentials (claims: one per credential): it binds nothing, learns no pseudonym. */
  wallet?: { id: string; name: string };
  claims: { name: string; scope: string; description: string }[];
  /** The handle named in the authorization request; absent, the person types it. */
  avatar?: string;
  /** Since when the signed-in person has locked its identity: consenting tells the world access_denied. */
  lockedSince?: string;
}

type Raw = { req: IncomingMessage; res: ServerResponse };
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export interface OidcOptions {
  db: Db;
  config: Config;
  vault: AttributeVault;
  keyring: Keyring;
  sessions: SessionService;
  ledger: LedgerService;
  subjects: SubjectService;
  avatars: AvatarService;
  worlds: WorldService;
  locks: LockService;
  principals: PrincipalService;
  servicePseudonyms: ServicePseudonymService;
  now: () => Date;
}

/** mdis as the OpenID Provider of worlds: the provider, world clients, consent and its binding. */
export class OidcService {
  readonly clients: OidcClientService;
  readonly #options: OidcOptions;
  #provider: Promise<Provider> | undefined;
  #callback: Promise<Callback> | undefined;
  /** The kids of the JWKS the provider was built with. */
  #kids: string | undefined;

  constructor(options: OidcOptions) {
    this.#options = options;
    this.clients = new OidcClientService(options);
  }

  /** Built at first use: `serve` knows its public URL (the issuer) only once it listens. */
  provider(): Promise<Provider> {
    this.#provider ??= this.#build();
    return this.#provider;
  }

  async #build(): Promise<Provider> {
    // Read before the keys the provider loads: a rotation in between costs one more rebuild.
    this.#kids = await publishedKids(this.#options.db, this.#options.now());
    return createProvider({
      db: this.#options.db,
      config: this.#options.config,
      vault: this.#options.vault,
      keyring: this.#options.keyring,
      now: this.#options.now,
      signedIn: (cookieHeader) => this.#signedIn(cookieHeader),
      clients: this.clients,
      claimsFor: (subject, world, scopes) => this.claimsFor(subject, world, scopes),
      ownerOf: (world, handle) => this.#options.avatars.subjectOf(world, handle),
      isLocked: (subject) => this.#options.locks.isLocked(subject),
    });
  }

  /** The provider's request handler (the provider's current one: keys rotate). */
  callback(): Promise<Callback> {
    this.#callback ??= this.provider().then((provider) => provider.callback());
    return this.#callback;
  }

  /**
   * Rebuilds the provider when the JWKS it should publish changed: a key rotated (by `mdis keys
   * rotate`, in any process) or a retired key's ID tokens all expired. A scheduled pass; tests
   * call it directly. The provider keeps no state of its own: all of it is in the store.
   */
  async refreshKeys(): Promise<boolean> {
    if (this.#kids === undefined) return false; // not built yet: it will read the keys then
    const kids = await publishedKids(this.#options.db, this.#options.now());
    if (kids === this.#kids) return false;
    this.#provider = undefined;
    this.#callback = undefined;
    return true;
  }

  /** The predicates a world may learn, for the scopes granted; never a record. */
  async claimsFor(subject: string, world: string, scopes: Set<string>): Promise<Record<string, unknown>> {
    const { subjects, avatars, now } = this.#options;
    const claims: Record<string, unknown> = {};
    if (scopes.has('age') || scopes.has('nationality')) {
      const { natural } = await subjects.get(subject);
      const birthDate = natural.birthDate;
      if (scopes.has('age') && typeof birthDate === 'string') {
        claims.age_over_13 = isOver(birthDate, 13, now());
        claims.age_over_18 = isOver(birthDate, 18, now());
      }
      if (scopes.has('nationality') && typeof natural.nationality === 'string') {
        claims.nationality = natural.nationality;
      }
    }
    if (scopes.has('standing'))
      claims.standing = standingIn(world, await unliftedSanctions(this.#options.db, [subject]), now());
    if (scopes.has('avatar')) {
      const bound = (await avatars.avatarsOf(subject)).filter((a) => a.world === world);
      const latest = bound.sort((a, b) => b.boundAt.localeCompare(a.boundAt))[0];
      if (latest !== undefined) claims.avatar = latest.handle;
    }
    return claims;
  }

  /** The pending authorization request behind this browser's interaction cookie. */
  async consentRequest(raw: Raw, uid: string): Promise<ConsentRequest> {
    const details = await this.#details(raw, uid);
    const clientId = String(details.params.client_id);
    const scopes = requestedScopes(details.params.scope);
    const person = await this.#signedIn(raw.req.headers.cookie);
    const lockedSince = person === undefined ? undefined : await this.#options.locks.lockedSince(person);
    const claims = scopes.flatMap((scope) =>
      scopeClaims[scope].map((name) => ({ name, scope, description: claimDescriptions[name] ?? name })),
    );
    if (isWalletClient(clientId)) {
      const wallet = { id: clientId, name: String(details.params.client_id).slice('wallet_'.length) };
      const locked = lockedSince === undefined ? {} : { lockedSince };
      return { uid, wallet, claims: credentialClaims(details.params.scope), ...locked };
    }
    if (isServiceClient(clientId)) {
      const service = await this.#options.principals.get(clientId);
      const locked = lockedSince === undefined ? {} : { lockedSince };
      return { uid, service: { id: service.id, name: service.name }, claims, ...locked };
    }
    const world = await this.#options.worlds.get(clientId);
    return {
      uid,
      world: { id: world.id, name: world.name },
      claims,
      ...(typeof details.params.avatar === 'string' ? { avatar: details.params.avatar } : {}),
      ...(lockedSince === undefined ? {} : { lockedSince }),
    };
  }

  /**
   * The person consents: the avatar is bound to them in this world (a handle bound to someone
   * else is refused), the grant holds the scopes asked for (nationality only if ticked), and the
   * authorization resumes. Returns where the browser goes next. A person who locked its identity
   * gets as far as this page, and the world is told access_denied: nothing is bound or granted.
   */
  async consent(
    raw: Raw,
    uid: string,
    principal: Principal,
    input: { avatar?: string; nationality?: boolean },
  ): Promise<string> {
    if (principal.subject === undefined) throw new ForbiddenError('only a subject signs in to a world');
    const details = await this.#details(raw, uid);
    if (await this.#options.locks.isLocked(principal.subject)) return this.#refuseLocked(raw);
    const world = String(details.params.client_id);
    if (isServiceClient(world)) return this.#consentToService(raw, details, principal, input);
    if (isWalletClient(world)) return this.#consentToWallet(raw, details, principal, input);
    const named = typeof details.params.avatar === 'string' ? details.params.avatar : undefined;
    if (named !== undefined && input.avatar !== undefined && input.avatar !== named) {
      throw new ValidationError('avatar', `the world asked to bind "${named}"`);
    }
    const handle = named ?? input.avatar;
    if (handle === undefined) throw new ValidationError('avatar', 'name the avatar to bind in this world');
    if (!handleRegex.test(handle)) throw new ValidationError('avatar', 'is not an avatar handle');
    await this.#options.avatars.bind({ world, handle, subject: principal.subject }, principal.id);

    return this.#grant(raw, details, principal.subject, input);
  }

  /**
   * The person consents to a service: no avatar; the service's pseudonym for them is kept (and
   * logged) so that the service can check their eligibility by it, then the sign-in resumes.
   */
  async #consentToService(
    raw: Raw,
    details: Details,
    principal: Principal,
    input: { avatar?: string; nationality?: boolean },
  ): Promise<string> {
    if (input.avatar !== undefined) throw new ValidationError('avatar', 'a service binds no avatar');
    const subject = principal.subject!;
    const service = String(details.params.client_id);
    await inTransaction(this.#options.db, (tx) =>
      this.#options.servicePseudonyms.record(tx, { service, subject }, principal.id),
    );
    return this.#grant(raw, details, subject, input);
  }

  /**
   * The person consents to a wallet's request for credentials: no avatar, no pseudonym; the grant
   * holds the credentials' scopes, and the wallet's access token carries them to the credential
   * endpoint, which issues to this person (`credentialGrantOf`).
   */
  async #consentToWallet(
    raw: Raw,
    details: Details,
    principal: Principal,
    input: { avatar?: string; nationality?: boolean },
  ): Promise<string> {
    if (input.avatar !== undefined) throw new ValidationError('avatar', 'a wallet binds no avatar');
    const provider = await this.provider();
    const grant = new provider.Grant({
      accountId: principal.subject!,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(credentialScopes(details.params.scope).join(' '));
    const grantId = await grant.save();
    return provider.interactionResult(
      raw.req,
      raw.res,
      { login: { accountId: principal.subject! }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /**
   * What an access token of this provider lets the credential endpoint issue: the subject the
   * person consented as, and the credentials of the scopes granted; undefined if the token is
   * unknown, expired, or not a registered wallet's (a world's token is for its userinfo only).
   */
  async credentialGrantOf(
    token: string,
  ): Promise<{ subject: string; configurations: ReturnType<typeof credentialScopes> } | undefined> {
    // Looked up in the store first: a token that is no provider's does not build the provider
    // (whose first build writes its signing keys), so a refused request writes nothing.
    const stored = await this.#options.db
      .selectFrom('oidc_models')
      .select('id')
      .where('model', '=', 'AccessToken')
      .where('id', '=', token)
      .executeTakeFirst();
    if (stored === undefined) return undefined;
    const provider = await this.provider();
    const found = await provider.AccessToken.find(token);
    if (found === undefined || found.isExpired || found.accountId === undefined) return undefined;
    if (!isWalletClient(found.clientId ?? '')) return undefined;
    if ((await this.clients.metadataFor(found.clientId!)) === undefined) return undefined;
    return { subject: found.accountId, configurations: credentialScopes(found.scope) };
  }

  /** Saves the grant of the scopes asked for (nationality only if ticked) and resumes the sign-in. */
  async #grant(raw: Raw, details: Details, subject: string, input: { nationality?: boolean }) {
    const provider = await this.provider();
    const scopes = requestedScopes(details.params.scope);
    const clientId = String(details.params.client_id);
    const grant = new provider.Grant({ accountId: subject, clientId });
    grant.addOIDCScope(scopes.filter((s) => s !== 'nationality' || input.nationality === true).join(' '));
    if (scopes.includes('nationality') && input.nationality !== true) grant.rejectOIDCScope('nationality');
    const grantId = await grant.save();
    return provider.interactionResult(
      raw.req,
      raw.res,
      { login: { accountId: subject }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /** The person declines: the world gets access_denied. */
  async decline(raw: Raw, uid: string): Promise<string> {
    await this.#details(raw, uid);
    const provider = await this.provider();
    return provider.interactionResult(
      raw.req,
      raw.res,
      { error: 'access_denied', error_description: 'the person declined' },
      { mergeWithLastSubmission: false },
    );
  }

  /** The subject signed in to mdis by this request's session cookie, if any. */
  async #signedIn(cookieHeader: string | undefined): Promise<string | undefined> {
    const cookie = readCookie(cookieHeader, sessionCookie);
    if (cookie === undefined || cookie.length === 0 || cookie.length > 100) return undefined;
    return (await this.#options.sessions.authenticate(cookie))?.principal.subject;
  }

  async #refuseLocked(raw: Raw): Promise<string> {
    const provider = await this.provider();
    return provider.interactionResult(
      raw.req,
      raw.res,
      { error: 'access_denied', error_description: lockedDescription },
      { mergeWithLastSubmission: false },
    );
  }

  async #details(raw: Raw, uid: string): Promise<Details> {
    const provider = await this.provider();
    let details: Details;
    try {
      details = await provider.interactionDetails(raw.req, raw.res);
    } catch {
      throw new NotFoundError('interaction_not_found', 'this sign-in request is unknown or has expired');
    }
    if (details.uid !== uid) {
      throw new NotFoundError('interaction_not_found', 'this sign-in request is unknown or has expired');
    }
    return details;
  }
}

function requestedScopes(scope: unknown): Scope[] {
  const asked = new Set(String(scope ?? '').split(' '));
  return (Object.keys(scopeClaims) as Scope[]).filter((s) => asked.has(s));
}

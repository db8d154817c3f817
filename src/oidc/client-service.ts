import type { AdapterPayload } from 'oidc-provider';
import { randomSecret } from '../auth/codes.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { PrincipalNotFoundError, ValidationError } from '../errors.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { PrincipalService } from '../principals/principal-service.ts';
import { scopeClaims } from './claims.ts';
import { isWalletClient, walletMetadata } from './wallet-clients.ts';

export const clientAuthMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof clientAuthMethods)[number];

export interface ClientRegistration {
  redirectUris: string[];
  authMethod?: ClientAuthMethod;
  /** The world's public keys, for private_key_jwt. */
  jwks?: { keys: Record<string, unknown>[] };
}

export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
  authMethod: ClientAuthMethod;
  /** Shown once, when a secret method is registered. */
  clientSecret?: string;
}

/** The scopes a service may ask for: predicates about the person, never a world's standing or avatar. */
export const serviceScopes = ['openid', 'age', 'nationality'] as const;

/**
 * Whether a client id is a service principal's: its id (`prn_…`), which no world id can be (world
 * ids have no underscore).
 */
export function isServiceClient(clientId: string): boolean {
  return clientId.startsWith('prn_');
}

/**
 * Each world is an OpenID Connect client of mdis, its client id the world id; so may each service
 * principal be, its client id the principal id, so that it learns people under a pseudonym of its
 * own instead of asking by digital ID.
 */
export class OidcClientService {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #ledger: LedgerService;
  readonly #worlds: WorldService;
  readonly #principals: PrincipalService;
  readonly #now: () => Date;
  readonly #config: Config;

  constructor(options: {
    config: Config;
    db: Db;
    keyring: Keyring;
    ledger: LedgerService;
    worlds: WorldService;
    principals: PrincipalService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#ledger = options.ledger;
    this.#worlds = options.worlds;
    this.#principals = options.principals;
    this.#now = options.now;
    this.#config = options.config;
  }

  /** Registers (or replaces) a world's client; a secret method gets a new secret, shown once. */
  async register(world: string, input: ClientRegistration, actor: string): Promise<RegisteredClient> {
    checkRegistration(input);
    const { name } = await this.#worlds.get(world);
    const authMethod = input.authMethod ?? 'client_secret_basic';
    const secret = authMethod === 'private_key_jwt' ? undefined : randomSecret();
    const metadata = clientMetadata(world, name, input, authMethod);
    const now = this.#now().toISOString();
    const row = {
      metadata: JSON.stringify(metadata),
      sealed_secret: secret === undefined ? null : this.#keyring.sealSecret(`oidc client|${world}`, secret),
      updated_at: now,
    };
    await inTransaction(this.#db, async (trx) => {
      await trx
        .insertInto('oidc_clients')
        .values({ world_id: world, created_at: now, ...row })
        .onConflict((oc) => oc.column('world_id').doUpdateSet(row))
        .execute();
      await this.#ledger.append(trx, {
        kind: 'oidc.client_registered',
        actor,
        refs: { world, authMethod },
        details: { redirectUris: input.redirectUris },
      });
    });
    return {
      clientId: world,
      redirectUris: input.redirectUris,
      authMethod,
      ...(secret === undefined ? {} : { clientSecret: secret }),
    };
  }

  /**
   * Registers (or replaces) a live service principal's client; a secret method gets a new secret,
   * shown once. The service may ask for `serviceScopes` only.
   */
  async registerService(
    principalId: string,
    input: ClientRegistration,
    actor: string,
  ): Promise<RegisteredClient> {
    checkRegistration(input);
    const principal = await this.#principals.get(principalId);
    if (principal.role !== 'service' || principal.revokedAt !== undefined) {
      throw new PrincipalNotFoundError(principalId);
    }
    const authMethod = input.authMethod ?? 'client_secret_basic';
    const secret = authMethod === 'private_key_jwt' ? undefined : randomSecret();
    const metadata = {
      ...clientMetadata(principalId, principal.name, input, authMethod),
      scope: serviceScopes.join(' '),
    };
    const now = this.#now().toISOString();
    const row = {
      metadata: JSON.stringify(metadata),
      sealed_secret:
        secret === undefined ? null : this.#keyring.sealSecret(`oidc client|${principalId}`, secret),
      updated_at: now,
    };
    await inTransaction(this.#db, async (trx) => {
      await trx
        .insertInto('oidc_service_clients')
        .values({ principal_id: principalId, created_at: now, ...row })
        .onConflict((oc) => oc.column('principal_id').doUpdateSet(row))
        .execute();
      await this.#ledger.append(trx, {
        kind: 'oidc.service_client_registered',
        actor,
        refs: { service: principalId, authMethod },
        details: { redirectUris: input.redirectUris },
      });
    });
    return {
      clientId: principalId,
      redirectUris: input.redirectUris,
      authMethod,
      ...(secret === undefined ? {} : { clientSecret: secret }),
    };
  }

  /** The client's metadata as oidc-provider reads it, secret included; undefined if none. */
  async metadataFor(clientId: string): Promise<AdapterPayload | undefined> {
    if (isServiceClient(clientId)) return this.#serviceMetadataFor(clientId);
    if (isWalletClient(clientId)) return walletMetadata(this.#config.walletClients, clientId);
    const row = await this.#db
      .selectFrom('oidc_clients')
      .selectAll()
      .where('world_id', '=', clientId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const metadata = JSON.parse(row.metadata) as AdapterPayload;
    // A world asks for its predicates only: a credential's scope is a wallet's.
    metadata.scope = Object.keys(scopeClaims).join(' ');
    if (row.sealed_secret !== null) {
      metadata.client_secret = this.#keyring.openSecret(`oidc client|${clientId}`, row.sealed_secret);
    }
    return metadata;
  }

  /** A service's client, while the service principal is live: a revoked one signs no one in. */
  async #serviceMetadataFor(clientId: string): Promise<AdapterPayload | undefined> {
    const row = await this.#db
      .selectFrom('oidc_service_clients')
      .innerJoin('principals', 'principals.id', 'oidc_service_clients.principal_id')
      .select(['oidc_service_clients.metadata', 'oidc_service_clients.sealed_secret'])
      .where('oidc_service_clients.principal_id', '=', clientId)
      .where('principals.revoked_at', 'is', null)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const metadata = JSON.parse(row.metadata) as AdapterPayload;
    if (row.sealed_secret !== null) {
      metadata.client_secret = this.#keyring.openSecret(`oidc client|${clientId}`, row.sealed_secret);
    }
    return metadata;
  }
}

/** The metadata every client of mdis shares: code flow, pairwise subjects, RS256 ID tokens. */
function clientMetadata(
  clientId: string,
  name: string,
  input: ClientRegistration,
  authMethod: ClientAuthMethod,
): AdapterPayload {
  return {
    client_id: clientId,
    client_name: name,
    redirect_uris: input.redirectUris,
    token_endpoint_auth_method: authMethod,
    ...(input.jwks === undefined ? {} : { jwks: input.jwks }),
    subject_type: 'pairwise',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
  };
}

/** Redirect URIs: https (or http on localhost, for development), no fragment, one host (pairwise subjects). */
export function checkRegistration(input: ClientRegistration): void {
  if (input.redirectUris.length === 0)
    throw new ValidationError('redirectUris', 'must name at least one URI');
  const hosts = new Set<string>();
  input.redirectUris.forEach((raw, i) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ValidationError(`redirectUris.${i}`, 'is not an absolute URI');
    }
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
      throw new ValidationError(`redirectUris.${i}`, 'must be https (http only on localhost)');
    }
    if (url.hash !== '') throw new ValidationError(`redirectUris.${i}`, 'must not have a fragment');
    hosts.add(url.hostname);
  });
  if (hosts.size > 1) throw new ValidationError('redirectUris', 'must all be on one host');
  const method = input.authMethod ?? 'client_secret_basic';
  if ((method === 'private_key_jwt') !== (input.jwks !== undefined)) {
    throw new ValidationError(
      'jwks',
      method === 'private_key_jwt' ? 'is required for private_key_jwt' : 'applies to private_key_jwt only',
    );
  }
}

import type { AdapterPayload } from 'oidc-provider';
import { randomSecret } from '../auth/codes.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { ValidationError } from '../errors.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';

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

/** Each world is an OpenID Connect client of mdis; its client id is the world id. */
export class OidcClientService {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #ledger: LedgerService;
  readonly #worlds: WorldService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    keyring: Keyring;
    ledger: LedgerService;
    worlds: WorldService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#ledger = options.ledger;
    this.#worlds = options.worlds;
    this.#now = options.now;
  }

  /** Registers (or replaces) a world's client; a secret method gets a new secret, shown once. */
  async register(world: string, input: ClientRegistration, actor: string): Promise<RegisteredClient> {
    checkRegistration(input);
    const { name } = await this.#worlds.get(world);
    const authMethod = input.authMethod ?? 'client_secret_basic';
    const secret = authMethod === 'private_key_jwt' ? undefined : randomSecret();
    const metadata = {
      client_id: world,
      client_name: name,
      redirect_uris: input.redirectUris,
      token_endpoint_auth_method: authMethod,
      ...(input.jwks === undefined ? {} : { jwks: input.jwks }),
      subject_type: 'pairwise',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    };
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

  /** The client's metadata as oidc-provider reads it, secret included; undefined if none. */
  async metadataFor(clientId: string): Promise<AdapterPayload | undefined> {
    const row = await this.#db
      .selectFrom('oidc_clients')
      .selectAll()
      .where('world_id', '=', clientId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const metadata = JSON.parse(row.metadata) as AdapterPayload;
    if (row.sealed_secret !== null) {
      metadata.client_secret = this.#keyring.openSecret(`oidc client|${clientId}`, row.sealed_secret);
    }
    return metadata;
  }
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

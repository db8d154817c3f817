import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, {
  type Configuration,
  errors,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Config } from '../config.ts';
import { configurationIds } from '../credentials/configurations.ts';
import type { Db } from '../db/database.ts';
import type { AttributeVault } from '../identity/attribute-vault.ts';
import type { Keyring } from '../keyring.ts';
import { handlePattern } from '../util/patterns.ts';
import { kyselyAdapter } from './adapter.ts';
import { scopeClaims } from './claims.ts';
import { isServiceClient, type OidcClientService } from './client-service.ts';
import { idTokenSeconds, signingKeys } from './keys.ts';

const handleRegex = new RegExp(handlePattern);

export interface ProviderOptions {
  db: Db;
  config: Config;
  vault: AttributeVault;
  keyring: Keyring;
  now: () => Date;
  /** The subject signed in to mdis by the session cookie of this request, if any. */
  signedIn: (cookieHeader: string | undefined) => Promise<string | undefined>;
  clients: OidcClientService;
  /** The subject an avatar handle is bound to in a world. */
  ownerOf(world: string, handle: string): Promise<string | undefined>;
  /** Whether the person locked the use of its identity: then every sign-in goes to consent. */
  isLocked(subject: string): Promise<boolean>;
  /** The claims of a subject for one world, for the scopes granted. */
  claimsFor(subject: string, world: string, scopes: Set<string>): Promise<Record<string, unknown>>;
}

/** The issuer: MDIS_PUBLIC_URL, or what `serve` learned when it listened. */
export function issuerOf(config: Config): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}

/**
 * oidc-provider configured as mdis's OpenID Provider: code flow with PKCE required, pairwise
 * subjects per world or service (its pseudonym, never the digital ID), predicate claims, the
 * store as its adapter, and mdis's own pages for sign-in and consent.
 */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const { db, config, vault, keyring, clients } = options;
  const configuration: Configuration = {
    adapter: kyselyAdapter(db, clients),
    clients: [],
    findAccount: async (_ctx, accountId) => ({
      accountId,
      async claims(_use, scope, _claims, _rejected) {
        const client = _ctx.oidc.client;
        const scopes = new Set(scope.split(' '));
        const claims =
          client === undefined ? {} : await options.claimsFor(accountId, client.clientId, scopes);
        return { sub: accountId, ...claims };
      },
    }),
    claims: Object.fromEntries(Object.entries(scopeClaims).map(([scope, claims]) => [scope, [...claims]])),
    // The credentials' scopes too (OpenID4VCI 1.0 authorization code flow), for wallets only.
    scopes: [...Object.keys(scopeClaims), ...configurationIds],
    // Predicates asked for by scope go in the ID token itself: a world needs no userinfo call.
    conformIdTokenClaims: false,
    subjectTypes: ['pairwise'],
    // A world's avatar pseudonym, or a service's own: distinct keys, so that neither equals the other.
    pairwiseIdentifier: async (_ctx, accountId, client) =>
      isServiceClient(client.clientId)
        ? vault.servicePseudonym(client.clientId, accountId)
        : vault.pseudonym(client.clientId, accountId),
    pkce: { required: () => true },
    responseTypes: ['code'],
    // `none`: a wallet's public client (wallet-clients.ts); worlds and services register the others.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      subject_type: 'pairwise',
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    extraParams,
    loadExistingGrant: existingGrant(options),
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
    },
    // The API's one error shape, for the errors the provider answers itself (a bad redirect URI).
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = { error: out.error, message: out.error_description ?? out.error };
    },
    interactions: {
      url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`,
      policy: policy(options),
    },
    cookies: {
      keys: [keyring.keyedHash('oidc cookie key')],
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    jwks: { keys: (await signingKeys(db, keyring, options.now())) as never },
    routes,
    ttl: lifetimes(config),
  };
  const provider = new Provider(issuerOf(config), configuration);
  // Behind a TLS-terminating proxy, X-Forwarded-Proto says the request came over https.
  provider.proxy = issuerOf(config).startsWith('https:');
  return provider;
}

export type Callback = (req: IncomingMessage, res: ServerResponse) => void;
export type { KoaContextWithOIDC };

/** Every endpoint under /oidc, so that none shadows the API. */
const routes = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  jwks: '/oidc/jwks',
  userinfo: '/oidc/me',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
  registration: '/oidc/reg',
  pushed_authorization_request: '/oidc/request',
  code_verification: '/oidc/device',
  device_authorization: '/oidc/device/auth',
  backchannel_authentication: '/oidc/backchannel',
  challenge: '/oidc/challenge',
  credential: '/oidc/credential',
};

const extraParams: Configuration['extraParams'] = {
  // The avatar the world wants bound; the person may type it on the consent page instead.
  avatar(_ctx, value) {
    if (value !== undefined && !handleRegex.test(value)) {
      throw new errors.InvalidRequest('avatar is not an avatar handle');
    }
  },
  // A world asks about its own users only.
  world(_ctx, value, client) {
    if (value !== undefined && client !== undefined && isServiceClient(client.clientId)) {
      throw new errors.InvalidRequest('a service acts for no world');
    }
    if (value !== undefined && value !== client?.clientId) {
      throw new errors.InvalidRequest(`this client acts for world "${client?.clientId}", not "${value}"`);
    }
  },
};

/**
 * A grant given before covers a new request only if the avatar it names is already this
 * person's: a new handle is bound by consent, so the consent page is shown again.
 */
function existingGrant(options: ProviderOptions): Configuration['loadExistingGrant'] {
  return async (ctx) => {
    const grantId =
      ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
    if (grantId === undefined) return undefined;
    const avatar = ctx.oidc.params?.avatar;
    if (ctx.oidc.result?.consent?.grantId === undefined && typeof avatar === 'string') {
      const owner = await options.ownerOf(ctx.oidc.client!.clientId, avatar);
      if (owner === undefined || owner !== ctx.oidc.session?.accountId) return undefined;
    }
    return ctx.oidc.provider.Grant.find(grantId);
  };
}

/** Seconds each of the provider's models lives. */
function lifetimes(config: Config): Configuration['ttl'] {
  return {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: idTokenSeconds,
    Interaction: 900,
    Grant: 365 * 86_400,
    // The provider's own session follows the person's mdis session, no longer.
    Session: config.session.idleMinutes * 60,
  };
}

/**
 * The provider's prompts, with one more check on login and one on consent (the lock below): its own session counts only while the
 * person is signed in to mdis, as the same person, in this browser. A person who signed out of
 * mdis (or everywhere) is asked to sign in again before any world gets a code.
 */
function policy(options: ProviderOptions): interactionPolicy.Prompt[] {
  const prompts = interactionPolicy.base();
  prompts.get('login')!.checks.add(
    new interactionPolicy.Check('mdis_session', 'the person is not signed in to mdis', async (ctx) => {
      const subject = await options.signedIn(ctx.req.headers.cookie);
      const same = subject !== undefined && subject === ctx.oidc.session?.accountId;
      return same ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  // A grant given before the lock must not carry a locked person past consent, where the world
  // is told access_denied (OidcService.consent).
  prompts.get('consent')!.checks.add(
    new interactionPolicy.Check('identity_locked', 'the person has locked its identity', async (ctx) => {
      const subject = ctx.oidc.session?.accountId;
      const locked = subject !== undefined && (await options.isLocked(subject));
      return locked ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return prompts;
}

import type { AdapterPayload } from 'oidc-provider';
import type { WalletClient } from '../config.ts';
import { type ConfigurationId, configurationIds, configurations } from '../credentials/configurations.ts';

/**
 * Whether a client id is a wallet's: `wallet_…`, which no world id (no underscore) and no service
 * principal id (`prn_…`) can be.
 */
export function isWalletClient(clientId: string): boolean {
  return clientId.startsWith('wallet_');
}

/**
 * A wallet the operator registered (MDIS_WALLET_CLIENTS), as oidc-provider reads it: a public
 * client (no secret: a wallet app cannot keep one; PKCE, which the provider requires of every
 * client, binds the code to it), its one redirect URI, and the credentials' scopes only.
 */
export function walletMetadata(
  wallets: readonly WalletClient[],
  clientId: string,
): AdapterPayload | undefined {
  const wallet = wallets.find((w) => w.clientId === clientId);
  if (wallet === undefined) return undefined;
  return {
    client_id: wallet.clientId,
    client_name: wallet.clientId.slice('wallet_'.length),
    redirect_uris: [wallet.redirectUri],
    // A wallet app's own scheme (`org.example.wallet:/cb`) is a native client's redirect.
    application_type: wallet.redirectUri.startsWith('https:') ? 'web' : 'native',
    token_endpoint_auth_method: 'none',
    scope: configurationIds.join(' '),
    subject_type: 'pairwise',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
  };
}

/** The credential configurations a scope string names (each configuration's scope is its id). */
export function credentialScopes(scope: unknown): ConfigurationId[] {
  const asked = new Set(String(scope ?? '').split(' '));
  return configurationIds.filter((id) => asked.has(id));
}

/** What the consent page lists for a wallet: each credential it asks for, and its claims. */
export function credentialClaims(scope: unknown): { name: string; scope: string; description: string }[] {
  return credentialScopes(scope).map((id) => ({
    name: id,
    scope: id,
    // The grade is left out of this flow: it goes in only by a choice made on an offer.
    description: `${configurations[id].display}: ${Object.entries(configurations[id].claims)
      .filter(([name]) => name !== 'grade')
      .map(([, label]) => label)
      .join(', ')}`,
  }));
}

import { configurationIds, configurations } from './configurations.ts';
import { credentialPaths } from './credential-service.ts';
import type { PublicJwk } from './keys.ts';

/**
 * The authorization server of the pre-authorized code flow: the issuer's own token endpoint,
 * under an identifier of its own (`<issuer>/v1/credentials`), so that it does not clash with
 * mdis's OpenID Provider, which has the issuer URL itself.
 */
export function authorizationServerOf(issuer: string): string {
  return `${issuer}/v1/credentials`;
}

/**
 * `/.well-known/openid-credential-issuer` (OpenID4VCI 1.0 section 12.2). Two authorization
 * servers: the pre-authorized code flow's own, and mdis's OpenID Provider (its issuer is the
 * credential issuer's URL) for the authorization code flow, whose scopes are the configurations'.
 */
export function issuerMetadata(issuer: string): Record<string, unknown> {
  return {
    credential_issuer: issuer,
    authorization_servers: [authorizationServerOf(issuer), issuer],
    credential_endpoint: `${issuer}${credentialPaths.credential}`,
    nonce_endpoint: `${issuer}${credentialPaths.nonce}`,
    display: [{ name: 'mdis', locale: 'en' }],
    credential_configurations_supported: Object.fromEntries(
      configurationIds.map((id) => {
        const config = configurations[id];
        return [
          id,
          {
            format: 'dc+sd-jwt',
            vct: `${issuer}${config.vctPath}`,
            scope: id,
            cryptographic_binding_methods_supported: ['jwk'],
            credential_signing_alg_values_supported: ['EdDSA'],
            proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256'] } },
            credential_metadata: {
              display: [{ name: config.display, locale: 'en' }],
              claims: Object.entries(config.claims).map(([name, label]) => ({
                path: [name],
                display: [{ name: label, locale: 'en' }],
              })),
            },
          },
        ];
      }),
    ),
  };
}

/** RFC 8414 metadata of the pre-authorized code flow's authorization server. */
export function authorizationServerMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer: authorizationServerOf(issuer),
    token_endpoint: `${issuer}${credentialPaths.token}`,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
    'pre-authorized_grant_anonymous_access_supported': true,
    token_endpoint_auth_methods_supported: ['none'],
  };
}

/** `/.well-known/jwt-vc-issuer` (SD-JWT VC draft, section 5): the keys by value. */
export function jwtVcIssuerMetadata(issuer: string, keys: PublicJwk[]): Record<string, unknown> {
  return { issuer, jwks: { keys } };
}

/** The `did:web` identifier of an issuer URL: the host (a port percent-encoded) and any path. */
export function didWebOf(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '').split('/').filter(Boolean);
  return ['did:web', encodeURIComponent(url.host), ...path].join(':');
}

/** `/.well-known/did.json`: one verification method per published key, `#<kid>`. */
export function didDocument(issuer: string, keys: PublicJwk[]): Record<string, unknown> {
  const did = didWebOf(issuer);
  const methods = keys.map((jwk) => ({
    id: `${did}#${jwk.kid}`,
    type: 'JsonWebKey2020',
    controller: did,
    publicKeyJwk: jwk,
  }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

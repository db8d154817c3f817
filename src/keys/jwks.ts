/**
 * The JSON Web Key Set at /.well-known/jwks.json: the public keys of every purpose that signs
 * documents verifiers check offline (the credential issuer's, a person's export's), each under its
 * own `kid`. One place builds it, so that no purpose publishes alone and
 * a verifier needs one URL.
 */

/** A published Ed25519 public key. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** Anything that publishes keys: one per purpose. */
export interface KeySource {
  published(): Promise<PublicJwk[]>;
}

/** The set of every source's published keys, in the sources' order; a kid published twice once. */
export async function buildJwks(sources: readonly KeySource[]): Promise<{ keys: PublicJwk[] }> {
  const lists = await Promise.all(sources.map((source) => source.published()));
  const seen = new Set<string>();
  const keys: PublicJwk[] = [];
  for (const key of lists.flat()) {
    if (seen.has(key.kid)) continue;
    seen.add(key.kid);
    keys.push(key);
  }
  return { keys };
}

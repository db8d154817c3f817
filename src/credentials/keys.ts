import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../keyring.ts';

const sealContext = 'credential signing key';

/** A credential signing key as this process holds it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public JWK as published: kty, crv, x, kid, alg, use. */
  publicJwk: PublicJwk;
}

export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/**
 * The issuer's Ed25519 signing keys: every key not retired is published (JWKS, jwt-vc-issuer,
 * did:web), each under its `kid`, and one of them (`active`) signs new credentials and status
 * lists. Rotation (issue 16 item 5) adds a key, marks it active and retires the old one once what
 * it signed has expired; verifiers pick the key by the `kid` in the JWT header. Made by the first
 * instance that needs one, sealed by the keyring; read once per process.
 */
export class CredentialKeys {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #now: () => Date;
  #loaded: Promise<{ active: SigningKey; all: SigningKey[] }> | undefined;

  constructor(options: { db: Db; keyring: Keyring; now: () => Date }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#now = options.now;
  }

  /** The key that signs now. */
  async active(): Promise<SigningKey> {
    return (await this.#load()).active;
  }

  /** Every published key, the active one first. */
  async published(): Promise<PublicJwk[]> {
    const { active, all } = await this.#load();
    return [active, ...all.filter((k) => k.kid !== active.kid)].map((k) => k.publicJwk);
  }

  #load() {
    this.#loaded ??= this.#read().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  async #read(): Promise<{ active: SigningKey; all: SigningKey[] }> {
    let rows = await this.#rows();
    if (rows.length === 0) {
      await this.#create('mdis-credential-1');
      rows = await this.#rows();
    }
    const all = rows.map((row) => {
      const jwk = JSON.parse(
        this.#keyring.openSecret(`${sealContext}|${row.kid}`, row.sealed_jwk),
      ) as import('node:crypto').JsonWebKey;
      const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
      const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
      const publicJwk: PublicJwk = { kty: kty!, crv: crv!, x: x!, kid: row.kid, alg: 'EdDSA', use: 'sig' };
      return { kid: row.kid, privateKey, publicJwk, active: row.active === 1 };
    });
    const active = all.find((k) => k.active) ?? all[0]!;
    return { active, all };
  }

  #rows() {
    return this.#db
      .selectFrom('credential_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  }

  // Two instances may both find no key: the kid is fixed, so the second insert does nothing.
  async #create(kid: string): Promise<void> {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    await this.#db
      .insertInto('credential_keys')
      .values({
        kid,
        sealed_jwk: this.#keyring.sealSecret(`${sealContext}|${kid}`, JSON.stringify(jwk)),
        created_at: this.#now().toISOString(),
        active: 1,
        retired_at: null,
      })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }
}

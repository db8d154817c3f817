import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../keyring.ts';
import type { KeySource, PublicJwk } from '../keys/jwks.ts';
import { configurations } from './configurations.ts';
import { statusListLifetimeSeconds } from './status-list.ts';

const sealContext = 'credential signing key';

/**
 * How long a replaced key stays published: the longest credential lifetime, plus a status list's
 * (a list token signed just before the rotation), plus a day for an instance that signed with the
 * old key before its reload pass saw the rotation. Nothing the key signed outlives it.
 */
export const replacedKeySeconds =
  Math.max(...Object.values(configurations).map((c) => c.lifetimeDays)) * 86_400 +
  statusListLifetimeSeconds +
  86_400;

/** One key as `mdis keys list` shows it. */
export interface CredentialKeyInfo {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  expiresAt: string | null;
}

/** A credential signing key as this process holds it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public JWK as published: kty, crv, x, kid, alg, use. */
  publicJwk: PublicJwk;
}

export type { PublicJwk };

/**
 * The issuer's Ed25519 signing keys: every key not retired is published (JWKS, jwt-vc-issuer,
 * did:web), each under its `kid`, and one of them (`active`) signs new credentials and status
 * lists. Rotation (issue 16 item 5) adds a key, marks it active and retires the old one once what
 * it signed has expired; verifiers pick the key by the `kid` in the JWT header. Made by the first
 * instance that needs one, sealed by the keyring; read once per process.
 */
export class CredentialKeys implements KeySource {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #now: () => Date;
  #loaded: Promise<{ active: SigningKey; all: SigningKey[] }> | undefined;

  constructor(options: { db: Db; keyring: Keyring; now: () => Date }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#now = options.now;
  }

  /**
   * Reads the published kids again and drops what this process loaded when they changed: a
   * rotation (by `mdis keys rotate`, in any process) or a replaced key's time running out. A
   * scheduled pass ('reload signing keys'); tests call it directly.
   */
  async refresh(): Promise<boolean> {
    if (this.#loaded === undefined) return false; // read at first use anyway
    const loaded = (await this.published()).map((k) => k.kid).join(' ');
    const rows = await this.#rows();
    const active = rows.find((row) => row.active === 1) ?? rows[0];
    const now = [active, ...rows.filter((row) => row !== active)].map((row) => row?.kid).join(' ');
    if (now === loaded) return false;
    this.#loaded = undefined;
    return true;
  }

  /**
   * Makes a new key the one that signs (inside the rotation's transaction); the one it replaces
   * stays published for `replacedKeySeconds`. Returns the new kid.
   */
  async rotate(db: Db): Promise<string> {
    const now = this.#now();
    const until = new Date(now.getTime() + replacedKeySeconds * 1000).toISOString();
    await db
      .updateTable('credential_keys')
      .set({ active: 0, replaced_at: now.toISOString(), retired_at: until })
      .where('active', '=', 1)
      .execute();
    const kid = `mdis-credential-${randomBytes(6).toString('base64url')}`;
    await this.#create(kid, db);
    return kid;
  }

  /** Every key, oldest first, published or not. */
  async list(): Promise<CredentialKeyInfo[]> {
    const rows = await this.#db
      .selectFrom('credential_keys')
      .select(['kid', 'created_at', 'replaced_at', 'retired_at'])
      .orderBy('created_at')
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      createdAt: row.created_at,
      retiredAt: row.replaced_at,
      expiresAt: row.retired_at,
    }));
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
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', this.#now().toISOString())]))
      .orderBy('created_at', 'desc')
      .orderBy('kid')
      .execute();
  }

  // Two instances may both find no key: the kid is fixed, so the second insert does nothing.
  async #create(kid: string, db: Db = this.#db): Promise<void> {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    await db
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

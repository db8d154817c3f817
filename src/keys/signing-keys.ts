import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';
import type { Keyring } from '../keyring.ts';
import type { KeySource, PublicJwk } from './jwks.ts';

/** A signing key as this process holds it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/**
 * The Ed25519 keys of one purpose (`export`): the newest key not retired signs, and every key not
 * retired is published, so that a document signed before a new key was added still verifies.
 * Sealed by the keyring under `signing key|<purpose>|<kid>`, so that a sealed key of one purpose
 * cannot be passed off as another's. Read once per process; `ensure` makes the first one.
 */
export class SigningKeys implements KeySource {
  readonly purpose: string;
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #now: () => Date;
  #loaded: Promise<SigningKey[]> | undefined;

  constructor(options: { db: Db; keyring: Keyring; now: () => Date; purpose: string }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#now = options.now;
    this.purpose = options.purpose;
  }

  /**
   * Makes the purpose's first key unless one exists: at start-up, so that the published set does
   * not change under a verifier's feet and no read writes. Two instances starting at once both
   * try the same kid; the second insert does nothing and both read the first.
   */
  async ensure(): Promise<void> {
    if ((await this.#rows()).length > 0) return;
    await this.#insert(this.#db, `mdis-${this.purpose}-1`);
    this.#loaded = undefined;
  }

  /**
   * Adds the purpose's next key (`mdis-<purpose>-<n+1>`), which signs from then on; the keys before
   * it stay published, so that what they signed (an export is kept for years) still verifies.
   * Serving instances take it on their next `refresh`.
   */
  async rotate(tx: Tx): Promise<string> {
    const made = await tx
      .selectFrom('signing_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('purpose', '=', this.purpose)
      .executeTakeFirstOrThrow();
    const kid = `mdis-${this.purpose}-${Number(made.n) + 1}`;
    await this.#insert(tx, kid);
    this.#loaded = undefined;
    return kid;
  }

  /** Reads the keys again: a rotation made by the CLI or another instance is taken on. */
  async refresh(): Promise<void> {
    this.#loaded = undefined;
    await this.#load();
  }

  /** Every key of the purpose, oldest first, for `mdis keys list`. */
  async list(): Promise<{ kid: string; createdAt: string; retiredAt: string | null; expiresAt: null }[]> {
    const rows = (
      await this.#db
        .selectFrom('signing_keys')
        .select(['kid', 'created_at', 'retired_at'])
        .where('purpose', '=', this.purpose)
        .execute()
    ).sort((a, b) => kidNumber(a.kid) - kidNumber(b.kid));
    // A key stops signing when the next is made, and stays published (expiresAt null: as long as kept).
    return rows.map((row, i) => ({
      kid: row.kid,
      createdAt: row.created_at,
      retiredAt: rows[i + 1]?.created_at ?? null,
      expiresAt: null,
    }));
  }

  async #insert(db: Db | Tx, kid: string): Promise<void> {
    const { privateKey } = generateKeyPairSync('ed25519');
    await db
      .insertInto('signing_keys')
      .values({
        kid,
        purpose: this.purpose,
        sealed_jwk: this.#keyring.sealSecret(
          this.#context(kid),
          JSON.stringify(privateKey.export({ format: 'jwk' })),
        ),
        created_at: this.#now().toISOString(),
        retired_at: null,
      })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }

  /** The key that signs now: the newest not retired. */
  async active(): Promise<SigningKey> {
    const [newest] = await this.#load();
    if (newest === undefined) throw new Error(`no ${this.purpose} signing key: ensure() was not called`);
    return newest;
  }

  async published(): Promise<PublicJwk[]> {
    return (await this.#load()).map((key) => key.publicJwk);
  }

  #load(): Promise<SigningKey[]> {
    this.#loaded ??= this.#read().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  async #read(): Promise<SigningKey[]> {
    const rows = await this.#rows();
    return rows.map((row) => {
      const jwk = JSON.parse(this.#keyring.openSecret(this.#context(row.kid), row.sealed_jwk)) as JsonWebKey;
      const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
      const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
      const publicJwk: PublicJwk = { kty: kty!, crv: crv!, x: x!, kid: row.kid, alg: 'EdDSA', use: 'sig' };
      return { kid: row.kid, privateKey, publicJwk };
    });
  }

  /** Newest first by the kid's number, not by time: instances' clocks need not agree. */
  async #rows() {
    const rows = await this.#db
      .selectFrom('signing_keys')
      .select(['kid', 'sealed_jwk'])
      .where('purpose', '=', this.purpose)
      .where('retired_at', 'is', null)
      .execute();
    return rows.sort((a, b) => kidNumber(b.kid) - kidNumber(a.kid));
  }

  #context(kid: string): string {
    return `signing key|${this.purpose}|${kid}`;
  }
}

/** The n of `mdis-<purpose>-<n>`: the order keys were made in. */
function kidNumber(kid: string): number {
  return Number(kid.slice(kid.lastIndexOf('-') + 1));
}

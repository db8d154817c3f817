import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../keyring.ts';
import { rawPublicKey, verifierKey } from './checkpoint.ts';

const sealContext = 'ledger key';
/** The first key's row id, as the first release named it; later keys are named by key id. */
const firstId = 'checkpoint';

/** One checkpoint key, public half: what `/v1/log/keys` and `mdis keys list` show. */
export interface LogKey {
  verifierKey: string;
  /** The hex key id of the signed note's signature lines. */
  keyId: string;
  /** The first checkpoint size it signs: the index of the entry that announced it, plus one. */
  fromSize: number;
  createdAt: string;
  retiredAt: string | null;
}

interface KeyRow {
  id: string;
  public_key: Buffer;
  from_size: number | string;
  created_at: string;
  retired_at: string | null;
}

/**
 * The log's checkpoint keys in the store, sealed by the keyring. A key signs the checkpoints from
 * its `fromSize` on; the one before it also signs the first checkpoint that covers the entry
 * announcing it (see `signersFor`), which is how a verifier learns the new key.
 */
export class LedgerKeys {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #origin: string;
  /** Public rows, by fromSize, as last read; private keys are opened when first needed. */
  #keys: LogKey[] = [];
  readonly #ids = new Map<string, string>();
  readonly #opened = new Map<string, KeyObject>();

  constructor(options: { db: Db; keyring: Keyring; origin: string }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#origin = options.origin;
  }

  /** Every key, oldest first. */
  get all(): readonly LogKey[] {
    return this.#keys;
  }

  /** The key that signs new checkpoints. */
  get current(): LogKey {
    const key = this.#keys.at(-1);
    if (key === undefined) throw new Error('the ledger is not initialised');
    return key;
  }

  /** Creates the first key unless there is one (another instance may race: theirs wins). */
  async init(now: Date): Promise<void> {
    await this.refresh();
    if (this.#keys.length > 0) return;
    await this.insert(this.#db, { first: true, fromSize: 0, now, privateKey: newKey() });
    await this.refresh();
  }

  /** Reads the key list again: a rotation by another process shows up here. */
  async refresh(db: Db = this.#db): Promise<void> {
    const rows = (await db
      .selectFrom('ledger_keys')
      .select(['id', 'public_key', 'from_size', 'created_at', 'retired_at'])
      .orderBy('from_size')
      .execute()) as KeyRow[];
    this.#keys = rows.map((row) => {
      const key = verifierKey(this.#origin, row.public_key);
      this.#ids.set(key, row.id);
      return {
        verifierKey: key,
        keyId: key.split('+')[1]!,
        fromSize: Number(row.from_size),
        createdAt: row.created_at,
        retiredAt: row.retired_at,
      };
    });
  }

  /**
   * The keys that sign a checkpoint of `size` when the latest stored one has `stored` entries: the
   * key in force at `size`, and, when the checkpoint is the first to cover rotations, the key in
   * force at `stored` and each key announced in between, so that each hand-over is signed by the key
   * the verifier already trusts.
   */
  async signersFor(stored: number, size: number): Promise<KeyObject[]> {
    const inForce = (at: number) => this.#keys.filter((key) => key.fromSize <= at).at(-1)!;
    const keys = new Set([inForce(stored)]);
    for (const key of this.#keys) if (key.fromSize > stored && key.fromSize <= size) keys.add(key);
    keys.add(inForce(size));
    return Promise.all([...keys].map((key) => this.#open(key)));
  }

  /**
   * Stores a key: the log's first, or (inside the rotation's transaction) the one its entry
   * announces, which retires the key in force (kept: it verifies what it signed).
   */
  async insert(
    db: Db,
    options: { first?: boolean; fromSize: number; now: Date; privateKey: KeyObject },
  ): Promise<string> {
    const publicKey = rawPublicKey(options.privateKey);
    const key = verifierKey(this.#origin, publicKey);
    const pkcs8 = options.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const at = options.now.toISOString();
    if (options.first !== true) {
      await db.updateTable('ledger_keys').set({ retired_at: at }).where('retired_at', 'is', null).execute();
    }
    await db
      .insertInto('ledger_keys')
      .values({
        id: options.first === true ? firstId : `checkpoint-${key.split('+')[1]}`,
        sealed_private_key: this.#keyring.sealSecret(sealContext, pkcs8),
        public_key: publicKey,
        created_at: at,
        from_size: options.fromSize,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return key;
  }

  async #open(key: LogKey): Promise<KeyObject> {
    let opened = this.#opened.get(key.verifierKey);
    if (opened === undefined) {
      const row = await this.#db
        .selectFrom('ledger_keys')
        .select('sealed_private_key')
        .where('id', '=', this.#ids.get(key.verifierKey)!)
        .executeTakeFirstOrThrow();
      const der = Buffer.from(this.#keyring.openSecret(sealContext, row.sealed_private_key), 'base64');
      opened = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      this.#opened.set(key.verifierKey, opened);
    }
    return opened;
  }
}

export function newKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

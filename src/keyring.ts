import { createHmac, type KeyObject } from 'node:crypto';
import { deriveKey, open, seal } from './util/aead.ts';

/**
 * The operator's secrets, under keys derived from the master key: what belongs to no subject and
 * so is not the attribute vault's (the ledger's signing key, the webhook signing secrets, the
 * texts of a disclosure whose target is unknown) and the keyed hashes of reporters.
 */
export class Keyring {
  readonly #secretKey: KeyObject;
  readonly #hashKey: KeyObject;

  constructor(masterKey: Buffer) {
    this.#secretKey = deriveKey(masterKey, 'operatorSecrets');
    this.#hashKey = deriveKey(masterKey, 'keyedHash');
  }

  /** Seals a secret; `context` (what it is, whose it is) is authenticated with it. */
  sealSecret(context: string, secret: string): Buffer {
    return seal(this.#secretKey, context, Buffer.from(secret));
  }

  openSecret(context: string, sealed: Buffer): string {
    return open(this.#secretKey, context, sealed).toString('utf8');
  }

  /**
   * Keyed hash for equality without plaintext. Callers prefix the text with its purpose
   * (`reporter|…`) so that hashes of different things never meet.
   */
  keyedHash(text: string): string {
    return createHmac('sha256', this.#hashKey).update(text).digest('base64url');
  }
}

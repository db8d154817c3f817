import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseMasterKey } from '../config.ts';
import { deriveKey, open, seal } from '../util/aead.ts';
import { encodeBase32 } from '../util/base32.ts';
import { readOrCreateSecretFile } from '../util/secret-file.ts';

export const masterKeyFileName = 'master.key';

/**
 * Encrypts attribute groups with a per-subject data key (AES-256-GCM) wrapped by a key derived
 * from the master key, and derives the keyed hashes used for de-duplication and pseudonyms.
 * Destroying a subject's wrapped key makes its attributes unreadable (crypto-shredding). It seals
 * the subjects' attributes only: the operator's own secrets go through the Keyring (keyring.ts).
 */
export class AttributeVault {
  readonly #wrapKey: KeyObject;
  readonly #hashKey: KeyObject;
  readonly #pseudonymKey: KeyObject;
  readonly #servicePseudonymKey: KeyObject;

  constructor(masterKey: Buffer) {
    this.#wrapKey = deriveKey(masterKey, 'keyWrap');
    this.#hashKey = deriveKey(masterKey, 'keyedHash');
    this.#pseudonymKey = deriveKey(masterKey, 'pseudonym');
    this.#servicePseudonymKey = deriveKey(masterKey, 'servicePseudonym');
  }

  /** A fresh data key and its wrapped form, bound to the subject's id. */
  newDataKey(subjectId: string): { dataKey: Buffer; wrapped: Buffer } {
    const dataKey = randomBytes(32);
    return { dataKey, wrapped: seal(this.#wrapKey, `key:${subjectId}`, dataKey) };
  }

  unwrapDataKey(subjectId: string, wrapped: Buffer): Buffer {
    return open(this.#wrapKey, `key:${subjectId}`, wrapped);
  }

  /** Encrypts a JSON value; `context` (subject, group, version) is authenticated with it. */
  sealJson(dataKey: KeyObject | Buffer, context: string, value: unknown): Buffer {
    return seal(dataKey, context, Buffer.from(JSON.stringify(value)));
  }

  openJson(dataKey: KeyObject | Buffer, context: string, sealed: Buffer): unknown {
    return JSON.parse(open(dataKey, context, sealed).toString('utf8'));
  }

  /** Keyed hash of a normalised natural identifier, for de-duplication without plaintext. */
  keyedHash(text: string): string {
    return createHmac('sha256', this.#hashKey).update(text).digest('base64url');
  }

  /** Per-world pseudonym: stable for one subject in one world, unlinkable across worlds. */
  pseudonym(worldId: string, subjectId: string): string {
    const mac = createHmac('sha256', this.#pseudonymKey).update(`${worldId}\u0000${subjectId}`).digest();
    return `PS${encodeBase32(mac, 24)}`;
  }

  /**
   * Per-service pseudonym (a service principal's pairwise subject): another key and another
   * prefix than a world's, so that it never equals one, and unlinkable across services.
   */
  servicePseudonym(serviceId: string, subjectId: string): string {
    const mac = createHmac('sha256', this.#servicePseudonymKey)
      .update(`${serviceId}\u0000${subjectId}`)
      .digest();
    return `SV${encodeBase32(mac, 24)}`;
  }
}

/** The master key from config, or from the key file in the data dir (created on first start). */
export function loadMasterKey(
  configured: Buffer | undefined,
  dataDir: string,
): { key: Buffer; createdFile?: string } {
  if (configured !== undefined) return { key: configured };
  const file = path.join(dataDir, masterKeyFileName);
  const { content, created } = readOrCreateSecretFile(file, () => `${randomBytes(32).toString('base64')}\n`);
  return { key: parseMasterKey(content, file), createdFile: created ? file : undefined };
}

/** A data key as a KeyObject, for sealing and opening many values with it. */
export function dataKeyObject(dataKey: Buffer): KeyObject {
  return createSecretKey(dataKey);
}

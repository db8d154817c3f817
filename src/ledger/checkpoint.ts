import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * C2SP tlog-checkpoint bodies, signed as C2SP signed notes with Ed25519:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key id ‖ signature)>\n
 *
 * The key id is the first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key), and a verifier
 * key is written `<name>+<hex key id>+<base64(0x01 ‖ public key)>`.
 */

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

const ed25519Type = 0x01;
const dash = '\u2014';

export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

export function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ed25519Type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function verifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${keyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.of(ed25519Type), publicKey]).toString('base64')}`;
}

/**
 * Signs a checkpoint with one key, or with several (a signed note may carry many signatures: the
 * checkpoint that covers a key rotation is signed by the key it retires and the one it announces).
 */
export function signCheckpoint(c: Checkpoint, name: string, privateKeys: KeyObject | KeyObject[]): string {
  const body = checkpointBody(c);
  const lines = (Array.isArray(privateKeys) ? privateKeys : [privateKeys]).map((privateKey) => {
    const signature = sign(null, Buffer.from(body), privateKey);
    const publicKey = rawPublicKey(createPublicKey(privateKey));
    const blob = Buffer.concat([keyId(name, publicKey), signature]).toString('base64');
    return `${dash} ${name} ${blob}\n`;
  });
  return `${body}\n${lines.join('')}`;
}

/** The hex key id a verifier key names (`<name>+<key id>+<key>`); undefined if it is not one. */
export function verifierKeyId(verifier: string): string | undefined {
  return /^[^+\s]+\+([0-9a-f]{8})\+/.exec(verifier.trim())?.[1];
}

/** The hex key ids of the signature lines by `name` on a note, whether or not they verify. */
export function signatureKeyIds(note: string, name: string): string[] {
  const split = note.indexOf('\n\n');
  if (split < 0) return [];
  return note
    .slice(split + 2)
    .split('\n')
    .map((line) => new RegExp(`^${dash} (\\S+) (\\S+)$`).exec(line))
    .filter((match) => match?.[1] === name)
    .map((match) => Buffer.from(match![2]!, 'base64').subarray(0, 4).toString('hex'));
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** Parses a signed checkpoint and checks its signature by `verifier`; throws CheckpointError. */
export function openCheckpoint(note: string, verifier: string): Checkpoint {
  // The base64 key may itself contain '+': name and id come first and contain none.
  const [, name, idHex, keyBase64] =
    /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(verifier.trim()) ?? [];
  const key = Buffer.from(keyBase64 ?? '', 'base64');
  if (!name || !idHex || key.length !== 33 || key[0] !== ed25519Type) {
    throw new CheckpointError('the verifier key is not <name>+<key id>+<base64 Ed25519 key>');
  }
  const publicKey = key.subarray(1);
  const split = note.indexOf('\n\n');
  if (split < 0) throw new CheckpointError('the note has no signature block');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (lines.length < 4 || !origin || !/^\d+$/.test(sizeText ?? '') || !rootText) {
    throw new CheckpointError('the note is not a checkpoint (origin, size, root hash)');
  }
  const signed = note
    .slice(split + 2)
    .split('\n')
    .filter(Boolean)
    .some((line) => {
      const match = new RegExp(`^${dash} (\\S+) (\\S+)$`).exec(line);
      if (match?.[1] !== name) return false;
      const blob = Buffer.from(match[2]!, 'base64');
      if (blob.length !== 68 || blob.subarray(0, 4).toString('hex') !== idHex) return false;
      const spki = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
        format: 'jwk',
      });
      return verify(null, Buffer.from(body), spki, blob.subarray(4));
    });
  if (!signed) throw new CheckpointError(`no valid signature by ${name} on the checkpoint`);
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32) throw new CheckpointError('the root hash is not 32 bytes');
  return { origin, size: Number(sizeText), root };
}

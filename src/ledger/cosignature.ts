import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { CheckpointError, rawPublicKey } from './checkpoint.ts';

/**
 * C2SP tlog-cosignature, Ed25519 (cosignature/v1): a witness's note signature on a checkpoint.
 *
 *   signed message: "cosignature/v1\ntime <unix seconds>\n" ‖ the checkpoint body
 *   signature line: — <witness name> base64(key id ‖ u64 big-endian time ‖ Ed25519 signature)
 *
 * The key id is SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4], and the verifier key is written
 * `<name>+<hex key id>+<base64(0x04 ‖ public key)>`: the type byte keeps a witness key from ever
 * being taken for a log's checkpoint key (0x01) and the reverse.
 */

const cosignatureType = 0x04;
const dash = '\u2014';

export interface Cosigner {
  name: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

function keyId(name: string, type: number, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function cosignerVerifierKey(name: string, publicKey: KeyObject): string {
  const raw = rawPublicKey(publicKey);
  return `${name}+${keyId(name, cosignatureType, raw).toString('hex')}+${Buffer.concat([Buffer.of(cosignatureType), raw]).toString('base64')}`;
}

/** Parses a witness's verifier key; throws CheckpointError naming what is wrong. */
export function parseCosigner(verifier: string): Cosigner {
  // The base64 key may itself contain '+': name and id come first and contain none.
  const [, name, idHex, keyBase64] =
    /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(verifier.trim()) ?? [];
  const key = Buffer.from(keyBase64 ?? '', 'base64');
  if (!name || !idHex || key.length !== 33 || key[0] !== cosignatureType) {
    throw new CheckpointError(
      `"${verifier}" is not a witness verifier key (<name>+<key id>+<base64 of 0x04 and an Ed25519 key>)`,
    );
  }
  const raw = key.subarray(1);
  if (keyId(name, cosignatureType, raw).toString('hex') !== idHex) {
    throw new CheckpointError(`the key id of witness key ${name} does not match its key`);
  }
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  return { name, keyId: Buffer.from(idHex, 'hex'), publicKey };
}

function signedMessage(body: string, time: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${body}`);
}

/** The witness's signature line on a checkpoint `body` (which ends in a newline), at `time`. */
export function cosignCheckpoint(body: string, name: string, privateKey: KeyObject, time: number): string {
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(time));
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const signature = sign(null, signedMessage(body, time), privateKey);
  const blob = Buffer.concat([keyId(name, cosignatureType, publicKey), timestamp, signature]);
  return `${dash} ${name} ${blob.toString('base64')}\n`;
}

/** A signed note split into its body (with its final newline) and its signature lines. */
export function splitNote(note: string): { body: string; signatures: string[] } | undefined {
  const split = note.indexOf('\n\n');
  if (split < 0) return undefined;
  return {
    body: note.slice(0, split + 1),
    signatures: note
      .slice(split + 2)
      .split('\n')
      .filter(Boolean),
  };
}

/**
 * The time of `cosigner`'s valid cosignature among `signatures` on `body`, or undefined when
 * there is none. Lines by other keys are ignored, as the signed-note format asks.
 */
export function cosignatureTime(body: string, signatures: readonly string[], cosigner: Cosigner) {
  for (const line of signatures) {
    const match = new RegExp(`^${dash} (\\S+) (\\S+)$`).exec(line);
    if (match?.[1] !== cosigner.name) continue;
    const blob = Buffer.from(match[2]!, 'base64');
    if (blob.length !== 76 || !blob.subarray(0, 4).equals(cosigner.keyId)) continue;
    const time = blob.readBigUInt64BE(4);
    if (time > BigInt(Number.MAX_SAFE_INTEGER)) continue;
    if (verify(null, signedMessage(body, Number(time)), cosigner.publicKey, blob.subarray(12))) {
      return Number(time);
    }
  }
  return undefined;
}

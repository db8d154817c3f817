import { type Bytes, concat, equal, fromBase64, sha256, toHex, utf8 } from './bytes.ts';

/**
 * C2SP tlog-checkpoint bodies signed as C2SP signed notes with Ed25519 (the format of
 * src/ledger/checkpoint.ts), checked with WebCrypto:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key id ‖ signature)>\n
 *
 * A verifier key is `<name>+<hex key id>+<base64(0x01 ‖ public key)>`, and the key id is the first
 * 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
 */

export interface Checkpoint {
  origin: string;
  size: number;
  root: Bytes;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

const ed25519Type = 0x01;
const dash = '\u2014';

interface VerifierKey {
  name: string;
  keyId: Bytes;
  publicKey: Bytes;
}

/** Parses a verifier key and checks that its key id is the one its name and key give. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  // The base64 key may itself contain '+': name and id come first and contain none.
  const [, name, idHex, keyBase64] = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim()) ?? [];
  if (!name || !idHex || !keyBase64)
    throw new CheckpointError('the verifier key is not <name>+<key id>+<base64 key>');
  const key = decode(keyBase64);
  if (key.length !== 33 || key[0] !== ed25519Type)
    throw new CheckpointError('the verifier key is not an Ed25519 key');
  const publicKey = key.slice(1);
  const keyId = (await sha256(utf8(name), Uint8Array.of(0x0a, ed25519Type), publicKey)).slice(0, 4);
  if (toHex(keyId) !== idHex)
    throw new CheckpointError(`the verifier key's id ${idHex} does not match its key`);
  return { name, keyId, publicKey };
}

/** Parses a signed checkpoint and checks its Ed25519 signature; throws CheckpointError. */
export async function openCheckpoint(note: string, verifier: string): Promise<Checkpoint> {
  const key = await parseVerifierKey(verifier);
  const split = note.indexOf('\n\n');
  if (split < 0) throw new CheckpointError('the note has no signature block');
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (lines.length < 4 || !origin || !/^\d+$/.test(sizeText ?? '') || !rootText) {
    throw new CheckpointError('the note is not a checkpoint (origin, size, root hash)');
  }
  const publicKey = await crypto.subtle
    .importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify'])
    .catch(() => {
      throw new CheckpointError('this browser cannot verify Ed25519 signatures (WebCrypto lacks Ed25519)');
    });
  let signed = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const match = new RegExp(`^${dash} (\\S+) (\\S+)$`).exec(line);
    if (match?.[1] !== key.name) continue;
    const blob = decode(match[2]!);
    if (blob.length !== 68 || !equal(blob.slice(0, 4), key.keyId)) continue;
    if (await crypto.subtle.verify('Ed25519', publicKey, blob.slice(4), utf8(body))) signed = true;
  }
  if (!signed) throw new CheckpointError(`no valid signature by ${key.name} on the checkpoint`);
  const root = decode(rootText);
  if (root.length !== 32) throw new CheckpointError('the root hash is not 32 bytes');
  return { origin, size: Number(sizeText), root: concat(root) };
}

/** Base64 that does not decode counts as wrong bytes, not as a crash. */
function decode(text: string): Bytes {
  try {
    return fromBase64(text);
  } catch {
    return new Uint8Array(0);
  }
}

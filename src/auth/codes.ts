import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32 } from '../util/base32.ts';

/** A random secret for a cookie or a CSRF token: 256 bits, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a secret: what the store keeps instead of it. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * An activation code a person can type: 20 Crockford base32 characters (100 bits) in groups of
 * four. Normalised (upper case, no separators, O→0, I/L→1) before it is hashed.
 */
export function newActivationCode(): string {
  const raw = encodeBase32(randomBytes(13), 20);
  return raw.match(/.{4}/g)!.join('-');
}

export function normaliseActivationCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

import { MalformedIdError } from '../errors.ts';
import { encodeBase32, luhnCheckChar, luhnValid } from '../util/base32.ts';
import { pooledRandomBytes } from '../util/random.ts';

const prefix = 'MD';
const randomChars = 20; // 100 random bits

/** Matches the shape of a digital ID; `parseDigitalId` also checks its check character. */
export const digitalIdPattern = `^[Mm][Dd][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{${randomChars + 1}}$`;

/**
 * A new digital ID: "MD", 20 random Crockford base32 characters (nothing derived from personal
 * data), then a Luhn mod 32 check character.
 */
export function newDigitalId(): string {
  const body = encodeBase32(pooledRandomBytes(13), randomChars);
  return prefix + body + luhnCheckChar(body);
}

/** The canonical (upper-case) form of a digital ID, or a MalformedIdError naming `field`. */
export function parseDigitalId(text: string, field = 'id'): string {
  const id = text.toUpperCase();
  if (id.length !== prefix.length + randomChars + 1 || !id.startsWith(prefix) || !luhnValid(id.slice(2))) {
    throw new MalformedIdError(field, 'digital ID');
  }
  return id;
}

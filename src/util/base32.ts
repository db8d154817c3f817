/** Crockford's base32 alphabet: no I, L, O or U, so that IDs read aloud or retyped stay apart. */
export const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const digitValues = new Map([...crockford].map((char, index) => [char, index]));

/** Encodes the first `chars * 5` bits of `bytes`. */
export function encodeBase32(bytes: Uint8Array, chars: number): string {
  if (bytes.length * 8 < chars * 5) throw new RangeError('not enough bytes for the requested length');
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += crockford[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === chars) break;
  }
  return out;
}

/** The digit value of a base32 character, or undefined if it is not one. */
export function base32Value(char: string): number | undefined {
  return digitValues.get(char);
}

/**
 * Luhn mod 32 check character over a base32 string: catches every single mistyped character and
 * every adjacent transposition but one pair.
 */
export function luhnCheckChar(body: string): string {
  const sum = luhnSum(body, 2);
  return crockford[(32 - (sum % 32)) % 32]!;
}

export function luhnValid(withCheck: string): boolean {
  return luhnSum(withCheck, 1) % 32 === 0;
}

function luhnSum(text: string, firstFactor: 1 | 2): number {
  let factor = firstFactor;
  let sum = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const value = digitValues.get(text[i]!);
    if (value === undefined) return Number.NaN;
    const addend = factor * value;
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return sum;
}

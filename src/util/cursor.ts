import { ValidationError } from '../errors.ts';

/** An opaque keyset cursor: the sort key of the last row returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

type Part = 'string' | 'number';
type Parts<S extends readonly Part[]> = { [K in keyof S]: S[K] extends 'string' ? string : number };

// The only cursor numbers are 32-bit columns (scores): a fraction, an overflow or a float beyond
// 2^53 would reach the store as a value PostgreSQL refuses, and a NUL as text it cannot hold.
const isInt32 = (part: unknown) => Number.isInteger(part) && Math.abs(part as number) <= 2 ** 31 - 1;
const isText = (part: unknown) => typeof part === 'string' && !part.includes('\u0000');

/** Decodes a cursor made by encodeCursor whose parts have the types of `shape`; else a 400. */
export function decodeCursor<const S extends readonly Part[]>(cursor: string, shape: S): Parts<S> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((part, i) => (shape[i] === 'string' ? isText(part) : isInt32(part)))
    ) {
      return key as Parts<S>;
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('cursor', 'is not a cursor this server issued');
}

export type { Page } from '../api/common.ts';

import { ValidationError } from '../errors.ts';

/** An opaque keyset cursor: the sort key of the last row returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

type Part = 'string' | 'number';
type Parts<S extends readonly Part[]> = { [K in keyof S]: S[K] extends 'string' ? string : number };

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

// The only cursor numbers are 32-bit columns (scores): a fraction, an overflow or a float beyond
// 2^53 would reach the store as a value PostgreSQL refuses, and a NUL as text it cannot hold.
const isInt32 = (part: unknown) => Number.isInteger(part) && Math.abs(part as number) <= 2 ** 31 - 1;
const isText = (part: unknown) => typeof part === 'string' && !part.includes('\u0000');

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  cursor?: string;
}

/**
 * A page of `items` (fetched with one row more than the page holds, so `more` says whether
 * another page follows); the cursor is the sort key of the last item.
 */
export function toPage<T>(
  items: T[],
  more: boolean,
  keyOf: (last: T) => readonly (string | number)[],
): Page<T> {
  const last = items.at(-1);
  return more && last !== undefined ? { items, cursor: encodeCursor(keyOf(last)) } : { items };
}

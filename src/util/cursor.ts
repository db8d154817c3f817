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
      key.every((part, i) => typeof part === shape[i])
    ) {
      return key as Parts<S>;
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('cursor', 'is not a cursor this server issued');
}

export type { Page } from '../api/common.ts';

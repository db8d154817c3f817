import { randomBytes } from 'node:crypto';
import { encodeBase32 } from './base32.ts';

/** A random record id with a prefix that says what it names: `case_7k2q9xvbw4t1r8n6`. */
export function newId(prefix: string): string {
  return `${prefix}_${encodeBase32(randomBytes(10), 16).toLowerCase()}`;
}

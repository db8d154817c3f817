import { encodeBase32 } from './base32.ts';
import { pooledRandomBytes } from './random.ts';

/** A random record id with a prefix that says what it names: `case_7k2q9xvbw4t1r8n6`. */
export function newId(prefix: string): string {
  return `${prefix}_${encodeBase32(pooledRandomBytes(10), 16).toLowerCase()}`;
}

let sequence = 0n;
const started = process.hrtime.bigint();

/**
 * An id that sorts in creation order within this process, for rows written in the same
 * millisecond (several history entries of one transaction) that must read back in order.
 */
export function newSortableId(prefix: string): string {
  sequence += 1n;
  const order = (started + sequence).toString(36).padStart(13, '0');
  return `${prefix}_${order}${encodeBase32(pooledRandomBytes(5), 8).toLowerCase()}`;
}

import { inflateSync } from 'node:zlib';
import { createHeaderAndPayload, StatusList } from '@sd-jwt/jwt-status-list';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';
import type { SigningKey } from './keys.ts';
import { signJwt } from './sd-jwt.ts';

/** Entries per list: 2^17 one-bit statuses, 16 KB before compression. */
export const statusListSize = 1 << 17;
/** Seconds a verifier (or a cache) may keep a list: Cache-Control max-age and the token's `ttl`. */
export const statusListTtlSeconds = 1;
/** Seconds a list token is valid at all: a verifier offline longer than this has no status. */
export const statusListLifetimeSeconds = 86_400;

/** Token Status List values (draft-ietf-oauth-status-list section 7.1). */
export const statusValid = 0;
export const statusInvalid = 1;

// An odd multiplier makes `n * m mod 2^17` a permutation of the list: entries are handed out in an
// order that does not follow issuance, and no two credentials ever share one.
const spread = 2_654_435_761;

/** The next free entry: a list with room (a new one when the last is full) and an index in it. */
export async function allocateEntry(tx: Tx): Promise<{ list: number; index: number }> {
  const last = await tx
    .selectFrom('credential_status_lists')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last === undefined || last.allocated >= last.size) {
    const id = (last?.id ?? 0) + 1;
    await tx
      .insertInto('credential_status_lists')
      .values({ id, size: statusListSize, allocated: 0 })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return allocateEntry(tx);
  }
  // The increment is the lock: a concurrent issuer waits for this row, then takes the next number.
  const row = await tx
    .updateTable('credential_status_lists')
    .set((eb) => ({ allocated: eb('allocated', '+', 1) }))
    .where('id', '=', last.id)
    .where('allocated', '<', last.size)
    .returning(['allocated', 'size'])
    .executeTakeFirst();
  if (row === undefined) return allocateEntry(tx);
  return { list: last.id, index: ((row.allocated - 1) * spread) % row.size };
}

/**
 * The signed status list token of one list (draft-ietf-oauth-status-list, JWT form), read from the
 * store at each call: a revocation is in the list as soon as its transaction has committed.
 */
export async function statusListToken(options: {
  db: Db;
  list: number;
  uri: string;
  key: SigningKey;
  now: Date;
}): Promise<string | undefined> {
  const { db, list, uri, key, now } = options;
  const found = await db
    .selectFrom('credential_status_lists')
    .select('size')
    .where('id', '=', list)
    .executeTakeFirst();
  if (found === undefined) return undefined;
  const revoked = await db
    .selectFrom('credentials')
    .select('status_index')
    .where('status_list', '=', list)
    .where('revoked_at', 'is not', null)
    .execute();
  const statuses = new Array<number>(found.size).fill(statusValid);
  for (const { status_index } of revoked) statuses[status_index] = statusInvalid;
  const iat = Math.floor(now.getTime() / 1000);
  const { header, payload } = createHeaderAndPayload(
    new StatusList(statuses, 1),
    { sub: uri, iat, exp: iat + statusListLifetimeSeconds, ttl: statusListTtlSeconds },
    { alg: 'EdDSA', typ: 'statuslist+jwt', kid: key.kid },
  );
  return signJwt(header, payload as Record<string, unknown>, key.privateKey);
}

/**
 * A decoded status list, for lookups in a verifier's process: one shift and one mask per lookup.
 * Statuses are packed least significant bits first (draft-ietf-oauth-status-list section 4.1).
 */
export class StatusBits {
  readonly #bytes: Uint8Array;
  readonly #bits: number;

  constructor(bytes: Uint8Array, bits: number) {
    if (![1, 2, 4, 8].includes(bits)) throw new Error(`bits must be 1, 2, 4 or 8, not ${bits}`);
    this.#bytes = bytes;
    this.#bits = bits;
  }

  /** From the token's `status_list` claim: `lst` is base64url of the zlib-compressed bytes. */
  static fromClaim(claim: { bits: number; lst: string }): StatusBits {
    return new StatusBits(inflateSync(Buffer.from(claim.lst, 'base64url')), claim.bits);
  }

  get size(): number {
    return (this.#bytes.length * 8) / this.#bits;
  }

  /** The status at `index`; undefined past the list's end. */
  status(index: number): number | undefined {
    const bit = index * this.#bits;
    const byte = this.#bytes[bit >>> 3];
    if (byte === undefined || index < 0) return undefined;
    return (byte >>> (bit & 7)) & ((1 << this.#bits) - 1);
  }
}

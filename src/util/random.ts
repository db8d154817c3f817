import { randomBytes, randomFillSync } from 'node:crypto';

const poolSize = 4096;
const pool = Buffer.alloc(poolSize);
let used = poolSize;

/**
 * Bytes from the system's CSPRNG, drawn into a pool 4 KiB at a time: each draw is a call into the
 * kernel that costs about 5 µs here whatever its size, which ids, IVs and salts paid once each,
 * several times per request. For ids, IVs and salts; keys and tokens call `randomBytes` itself.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > poolSize) return randomBytes(size);
  if (used + size > poolSize) {
    randomFillSync(pool);
    used = 0;
  }
  // A copy: the pool is refilled in place.
  const bytes = Buffer.from(pool.subarray(used, used + size));
  used += size;
  return bytes;
}

import { RateLimitedError } from '../errors.ts';

/**
 * A token bucket per key (a principal id, or a client address): `perSecond` sustained, up to
 * `burst` at once. In memory and per process; behind a load balancer each instance allows its own
 * share.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: { perSecond: number; burst: number }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
  }

  /** Takes one token for `key`, or throws RateLimitedError when the bucket is empty. */
  take(key: string, nowMs: number): void {
    const bucket = this.#refilled(key, nowMs);
    bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 100_000) this.#forgetFull(nowMs);
  }

  /** Throws RateLimitedError when `key`'s bucket is empty, without taking a token. */
  check(key: string, nowMs: number): void {
    this.#refilled(key, nowMs);
  }

  #refilled(key: string, nowMs: number): { tokens: number; at: number } {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: nowMs };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.#perSecond);
    bucket.at = nowMs;
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      throw new RateLimitedError(Math.ceil((1 - bucket.tokens) / this.#perSecond));
    }
    return bucket;
  }

  // Buckets that have refilled are the same as no bucket: drop them to bound memory.
  #forgetFull(nowMs: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + ((nowMs - bucket.at) / 1000) * this.#perSecond >= this.#burst)
        this.#buckets.delete(key);
    }
  }
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limit.ts';

test('allows the burst, refuses the next, refills at the rate', () => {
  const limiter = new RateLimiter({ perSecond: 10, burst: 3 });
  for (let i = 0; i < 3; i++) limiter.take('p', 0);
  assert.throws(() => limiter.take('p', 0), { code: 'rate_limited' });
  limiter.take('other', 0);
  assert.throws(() => limiter.take('p', 50), { code: 'rate_limited' });
  limiter.take('p', 100);
  assert.throws(() => limiter.take('p', 100), { code: 'rate_limited' });
});

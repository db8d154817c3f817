import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOver, standingIn } from './claims.ts';

test('age predicates turn true on the birthday, not before', () => {
  assert.equal(isOver('2008-03-15', 18, new Date('2026-03-14T23:59:59Z')), false);
  assert.equal(isOver('2008-03-15', 18, new Date('2026-03-15T00:00:00Z')), true);
  assert.equal(isOver('2013-12-02', 13, new Date('2026-12-02T00:00:00Z')), true);
  assert.equal(isOver('2013-12-03', 13, new Date('2026-12-02T00:00:00Z')), false);
});

test('standing: a ban anywhere, else this world’s suspension or mute, only while in force', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  const s = (kind: string, world: string | null, ends: string | null = null) => ({
    kind,
    world_id: world,
    starts_at: '2026-12-01T00:00:00Z',
    ends_at: ends,
  });
  assert.equal(standingIn('plaza', [], now), 'allowed');
  assert.equal(standingIn('plaza', [s('mute', 'arena')], now), 'allowed');
  assert.equal(standingIn('plaza', [s('mute', 'plaza')], now), 'muted');
  assert.equal(standingIn('plaza', [s('mute', 'plaza'), s('suspension', 'plaza')], now), 'suspended');
  assert.equal(standingIn('plaza', [s('suspension', 'plaza', '2026-12-01T12:00:00Z')], now), 'allowed');
  assert.equal(standingIn('plaza', [s('ban', null), s('mute', 'plaza')], now), 'banned');
});

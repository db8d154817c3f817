import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crockford } from '../util/base32.ts';
import { newDigitalId, parseDigitalId } from './digital-id.ts';

test('new IDs are well formed, distinct and parse to themselves', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = newDigitalId();
    assert.match(id, /^MD[0-9A-HJKMNP-TV-Z]{21}$/);
    assert.equal(parseDigitalId(id), id);
    ids.add(id);
  }
  assert.equal(ids.size, 1000);
});

test('lower case is accepted and canonicalised', () => {
  const id = newDigitalId();
  assert.equal(parseDigitalId(id.toLowerCase()), id);
});

test('every single mistyped character is caught', () => {
  for (let n = 0; n < 50; n++) {
    const id = newDigitalId();
    for (let i = 2; i < id.length; i++) {
      for (const char of crockford) {
        if (char === id[i]) continue;
        const typo = id.slice(0, i) + char + id.slice(i + 1);
        assert.throws(() => parseDigitalId(typo), { code: 'malformed_id' }, typo);
      }
    }
  }
});

test('adjacent transpositions are caught except the one pair Luhn mod N cannot see', () => {
  let caught = 0;
  let swaps = 0;
  for (let n = 0; n < 200; n++) {
    const id = newDigitalId();
    for (let i = 2; i < id.length - 1; i++) {
      if (id[i] === id[i + 1]) continue;
      const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
      swaps++;
      try {
        parseDigitalId(swapped);
      } catch {
        caught++;
      }
    }
  }
  assert.ok(caught / swaps > 0.99, `caught ${caught} of ${swaps}`);
});

test('wrong length, prefix or alphabet is malformed', () => {
  const id = newDigitalId();
  for (const bad of ['', id.slice(0, -1), `${id}0`, `XX${id.slice(2)}`, `${id.slice(0, 5)}I${id.slice(6)}`]) {
    assert.throws(() => parseDigitalId(bad), { code: 'malformed_id' });
  }
});

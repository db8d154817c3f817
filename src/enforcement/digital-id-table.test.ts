import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newDigitalId } from '../identity/digital-id.ts';
import { absent, DigitalIdTable, marked, present } from './digital-id-table.ts';

test('holds every ID added through many growths, marks and unmarks, and finds no other', () => {
  const table = new DigitalIdTable();
  const ids = Array.from({ length: 50_000 }, () => newDigitalId());
  const others = Array.from({ length: 50_000 }, () => newDigitalId());
  for (const [i, id] of ids.entries()) {
    if (i % 7 === 0) table.mark(id, true);
    else table.add(id);
  }
  table.add(ids[0]!); // adding again changes nothing, the mark included
  assert.equal(table.size, ids.length);
  for (const [i, id] of ids.entries()) assert.equal(table.lookup(id), i % 7 === 0 ? marked : present, id);
  for (const id of others) assert.equal(table.lookup(id), absent, id);
  for (const [i, id] of ids.entries()) if (i % 7 === 0) table.mark(id, false);
  for (const id of ids) assert.equal(table.lookup(id), present);
  assert.equal(table.size, ids.length);
});

test('an ID that differs in any one character, its check character included, is another', () => {
  const table = new DigitalIdTable();
  const id = newDigitalId();
  table.add(id);
  for (let i = 0; i < id.length; i++) {
    const other = id.slice(0, i) + (id[i] === 'Z' ? 'Y' : 'Z') + id.slice(i + 1);
    assert.equal(table.lookup(other), absent, other);
  }
});

test('anything but a canonical digital ID is absent, and adding it is refused', () => {
  const table = new DigitalIdTable();
  const id = newDigitalId();
  table.add(id);
  for (const text of [
    id.toLowerCase(),
    `${id}0`,
    id.slice(1),
    `XD${id.slice(2)}`,
    `${id.slice(0, -1)}U`,
    '',
  ]) {
    assert.equal(table.lookup(text), absent, text);
    assert.throws(() => table.add(text), RangeError);
  }
  assert.equal(table.size, 1);
});

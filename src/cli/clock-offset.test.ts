import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeClockOffset, parseClockOffset } from './clock-offset.ts';

const hour = 3_600_000;
const day = 24 * hour;

test('--clock-offset takes weeks, days, hours and minutes, ahead or behind', () => {
  assert.equal(parseClockOffset('15d'), 15 * day);
  assert.equal(parseClockOffset('12h'), 12 * hour);
  assert.equal(parseClockOffset('1d12h'), 36 * hour);
  assert.equal(parseClockOffset('2w'), 14 * day);
  assert.equal(parseClockOffset('90m'), 1.5 * hour);
  assert.equal(parseClockOffset('-2d'), -2 * day);
  assert.equal(parseClockOffset('+3d'), 3 * day);
  assert.equal(parseClockOffset('3650d'), 3650 * day);
});

test('--clock-offset refuses anything else, naming the flag', () => {
  for (const raw of ['15x', 'abc', '15', 'd', '', '1.5d', '3651d', '1d 2h', '--2d']) {
    assert.throws(() => parseClockOffset(raw), /^ConfigError: --clock-offset must be a length of time/, raw);
  }
});

test('the offset in words, as start-up shows it', () => {
  assert.equal(describeClockOffset(15 * day), '15 days ahead');
  assert.equal(describeClockOffset(36 * hour), '1 day 12 hours ahead');
  assert.equal(describeClockOffset(-2 * day), '2 days behind');
  assert.equal(describeClockOffset(90 * 60_000), '1 hour 30 minutes ahead');
  assert.equal(describeClockOffset(0), 'the real time');
});

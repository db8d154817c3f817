import assert from 'node:assert/strict';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Keyring } from './keyring.ts';

const masterKey = randomBytes(32);
const keyring = new Keyring(masterKey);

test('a secret opens in its own context only, and under its own master key only', () => {
  const sealed = keyring.sealSecret('subscription|sub_1', 'whsec');
  assert.equal(keyring.openSecret('subscription|sub_1', sealed), 'whsec');
  assert.throws(() => keyring.openSecret('subscription|sub_2', sealed));
  assert.throws(() => new Keyring(randomBytes(32)).openSecret('subscription|sub_1', sealed));
});

test('keys are the ones stores already hold values under (HKDF of the master key, by purpose)', () => {
  // Reporter hashes and sealed secrets written before the keyring existed must still match.
  const hashKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'mdis keyed hash', 32));
  const expected = createHmac('sha256', hashKey).update('reporter|plaza|ann').digest('base64url');
  assert.equal(keyring.keyedHash('reporter|plaza|ann'), expected);
});

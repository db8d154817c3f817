import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AttributeVault } from './attribute-vault.ts';

const vault = new AttributeVault(randomBytes(32));

test('a sealed value opens with its data key and context', () => {
  const { dataKey, wrapped } = vault.newDataKey('MD1');
  const sealed = vault.sealJson(dataKey, 'MD1|natural|1', { legalName: 'Tom' });
  assert.ok(!sealed.toString('latin1').includes('Tom'));
  assert.deepEqual(vault.openJson(vault.unwrapDataKey('MD1', wrapped), 'MD1|natural|1', sealed), {
    legalName: 'Tom',
  });
});

test('a ciphertext moved to another subject, group or version does not open', () => {
  const { dataKey } = vault.newDataKey('MD1');
  const sealed = vault.sealJson(dataKey, 'MD1|natural|1', { legalName: 'Tom' });
  assert.throws(() => vault.openJson(dataKey, 'MD1|natural|2', sealed));
  assert.throws(() => vault.openJson(dataKey, 'MD2|natural|1', sealed));
});

test('a wrapped key does not unwrap for another subject or under another master key', () => {
  const { wrapped } = vault.newDataKey('MD1');
  assert.throws(() => vault.unwrapDataKey('MD2', wrapped));
  assert.throws(() => new AttributeVault(randomBytes(32)).unwrapDataKey('MD1', wrapped));
});

test('a flipped bit is detected', () => {
  const { dataKey } = vault.newDataKey('MD1');
  const sealed = vault.sealJson(dataKey, 'c', { a: 1 });
  sealed[20] = (sealed[20] ?? 0) ^ 1;
  assert.throws(() => vault.openJson(dataKey, 'c', sealed));
});

test('pseudonyms are stable per world and differ across worlds and vaults', () => {
  assert.equal(vault.pseudonym('plaza', 'MD1'), vault.pseudonym('plaza', 'MD1'));
  assert.notEqual(vault.pseudonym('plaza', 'MD1'), vault.pseudonym('arena', 'MD1'));
  assert.notEqual(vault.pseudonym('plaza', 'MD1'), vault.pseudonym('plaza', 'MD2'));
  assert.notEqual(
    vault.pseudonym('plaza', 'MD1'),
    new AttributeVault(randomBytes(32)).pseudonym('plaza', 'MD1'),
  );
});

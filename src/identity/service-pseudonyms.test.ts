import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AttributeVault } from './attribute-vault.ts';
import { PseudonymMap, servicePseudonymPattern } from './service-pseudonyms.ts';

const vault = new AttributeVault(randomBytes(32));

test('a service pseudonym: stable, its own per service, never a world pseudonym of the same inputs', () => {
  const a = vault.servicePseudonym('prn_aaaaaaaaaaaaaaaa', 'MD1');
  assert.match(a, new RegExp(servicePseudonymPattern));
  assert.equal(vault.servicePseudonym('prn_aaaaaaaaaaaaaaaa', 'MD1'), a);
  assert.notEqual(vault.servicePseudonym('prn_bbbbbbbbbbbbbbbb', 'MD1'), a);
  assert.notEqual(vault.servicePseudonym('prn_aaaaaaaaaaaaaaaa', 'MD2'), a);
  // Another key, not only another prefix.
  assert.notEqual(vault.pseudonym('prn_aaaaaaaaaaaaaaaa', 'MD1').slice(2), a.slice(2));
  assert.notEqual(new AttributeVault(randomBytes(32)).servicePseudonym('prn_aaaaaaaaaaaaaaaa', 'MD1'), a);
});

test('the map answers a service for its own pseudonyms only', () => {
  const map = new PseudonymMap();
  map.set('SV1', 'prn_a', 'MD1');
  map.set('SV2', 'prn_b', 'MD1');
  assert.equal(map.subjectFor('prn_a', 'SV1'), 'MD1');
  assert.equal(map.subjectFor('prn_a', 'SV2'), undefined, 'another service’s');
  assert.equal(map.subjectFor('prn_a', 'SV3'), undefined, 'never given out');
  map.set('SV1', 'prn_a', 'MD1');
  assert.equal(map.size, 2);
});

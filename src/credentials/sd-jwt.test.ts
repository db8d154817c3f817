import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { issueSdJwt, sha256b64url, splitSdJwt } from './sd-jwt.ts';
import { StatusBits } from './status-list.ts';

test('the disclosure digest of RFC 9901 section 4.2.1 (known answer)', () => {
  const disclosure = 'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0';
  assert.deepEqual(JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')), [
    '_26bc4LT-ac6q2KI6cBW5es',
    'family_name',
    'Möbius',
  ]);
  assert.equal(sha256b64url(disclosure), 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0');
});

test('the 1-bit status list of the Token Status List draft (known answer)', () => {
  const bits = StatusBits.fromClaim({ bits: 1, lst: 'eNrbuRgAAhcBXQ' });
  const expected = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
  assert.deepEqual(
    expected.map((_, i) => bits.status(i)),
    expected,
  );
  assert.equal(bits.status(16), undefined);
});

test('an issued SD-JWT: every claim a disclosure with its digest in _sd, sorted, signed', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const claims = { a: 1, b: 'two', c: true };
  const { sdJwt } = issueSdJwt({
    header: { alg: 'EdDSA' },
    payload: { iss: 'x' },
    disclosable: claims,
    key: privateKey,
  });
  const { jwt, disclosures, kb } = splitSdJwt(sdJwt);
  assert.equal(kb, '');
  const [h, p, s] = jwt.split('.') as [string, string, string];
  assert.ok(verify(null, Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url')));
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { _sd: string[]; a?: unknown };
  assert.equal(payload.a, undefined);
  assert.deepEqual(payload._sd, [...payload._sd].sort());
  assert.deepEqual(new Set(payload._sd), new Set(disclosures.map(sha256b64url)));
  const opened = Object.fromEntries(
    disclosures.map((d) => JSON.parse(Buffer.from(d, 'base64url').toString()).slice(1) as [string, unknown]),
  );
  assert.deepEqual(opened, claims);
});

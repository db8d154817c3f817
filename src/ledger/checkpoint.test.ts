import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { openCheckpoint, rawPublicKey, signCheckpoint, verifierKey } from './checkpoint.ts';
import { emptyRoot } from './merkle.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const verifier = verifierKey('mdis.example/log', rawPublicKey(publicKey));
const checkpoint = { origin: 'mdis.example/log', size: 42, root: Buffer.from(emptyRoot) };

test('a signed checkpoint has the C2SP layout and opens with its verifier key', () => {
  const note = signCheckpoint(checkpoint, 'mdis.example/log', privateKey);
  const [body, signature] = note.split('\n\n');
  assert.equal(body, `mdis.example/log\n42\n${emptyRoot.toString('base64')}`);
  assert.match(signature!, /^\u2014 mdis\.example\/log [A-Za-z0-9+/]{91}=\n$/);
  assert.match(verifier, /^mdis\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  assert.deepEqual(openCheckpoint(note, verifier), checkpoint);
});

test('a changed body, another key or a mangled signature is refused', () => {
  const note = signCheckpoint(checkpoint, 'mdis.example/log', privateKey);
  assert.throws(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), verifier), /no valid signature/);
  const other = generateKeyPairSync('ed25519');
  assert.throws(
    () => openCheckpoint(note, verifierKey('mdis.example/log', rawPublicKey(other.publicKey))),
    /no valid/,
  );
  // One bit of the signature itself flipped (after the 4-byte key hash that names the key).
  const mangled = note.replace(/ (\S+)\n$/, (_, b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[10]! ^= 1;
    return ` ${bytes.toString('base64')}\n`;
  });
  assert.notEqual(mangled, note);
  assert.throws(() => openCheckpoint(mangled, verifier), /no valid signature/);
  assert.throws(() => openCheckpoint('not a note', verifier), /no signature block/);
  assert.throws(() => openCheckpoint(note, 'name+00'), /verifier key/);
});

import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  leafHash as browserLeafHash,
  verifyConsistency,
  verifyInclusion,
} from '../console/src/ledger/merkle.ts';
import { openCheckpoint } from '../console/src/ledger/note.ts';
import { rawPublicKey, signCheckpoint, verifierKey } from '../src/ledger/checkpoint.ts';
import { leafHash, MerkleTree } from '../src/ledger/merkle.ts';

// The console verifies the log in the browser with WebCrypto; Node has the same WebCrypto, so
// its code is checked here against the server's own tree, proofs and signed checkpoints.

const tree = new MerkleTree();
const entries = Array.from({ length: 37 }, (_, i) => Buffer.from(JSON.stringify({ idx: i, kind: 'test' })));
for (const entry of entries) tree.append(leafHash(entry));

test('leaf hashes are the server’s', async () => {
  for (const entry of entries.slice(0, 5)) {
    assert.deepEqual(Buffer.from(await browserLeafHash(entry)), leafHash(entry));
  }
});

test('every inclusion proof the server makes verifies, and a wrong leaf, index or root does not', async () => {
  for (const size of [1, 2, 3, 7, 8, 9, 16, 37]) {
    const root = tree.root(size);
    for (let index = 0; index < size; index++) {
      const proof = tree.inclusionProof(index, size);
      const leaf = tree.leaf(index);
      assert.ok(await verifyInclusion({ leaf, index, size, proof, root }), `${index} in ${size}`);
      if (size > 1) {
        const other = (index + 1) % size;
        assert.equal(await verifyInclusion({ leaf: tree.leaf(other), index, size, proof, root }), false);
        assert.equal(await verifyInclusion({ leaf, index: other, size, proof, root }), false);
      }
      assert.equal(await verifyInclusion({ leaf, index, size, proof, root: randomBytes(32) }), false);
    }
  }
});

test('consistency proofs verify between any two sizes, and not against another root', async () => {
  for (const to of [1, 5, 8, 13, 37]) {
    for (let from = 0; from <= to; from++) {
      const proof = tree.consistencyProof(from, to);
      const options = { from, to, fromRoot: tree.root(from), toRoot: tree.root(to), proof };
      assert.ok(await verifyConsistency(options), `${from} → ${to}`);
      if (from > 0 && from < to) {
        assert.equal(await verifyConsistency({ ...options, fromRoot: randomBytes(32) }), false);
      }
    }
  }
});

test('a checkpoint the server signs opens with its verifier key; any change is refused', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const origin = 'mdis.example/log';
  const checkpoint = { origin, size: tree.size, root: Buffer.from(tree.root()) };
  const note = signCheckpoint(checkpoint, origin, privateKey);
  const key = verifierKey(origin, rawPublicKey(publicKey));

  const opened = await openCheckpoint(note, key);
  assert.equal(opened.origin, origin);
  assert.equal(opened.size, tree.size);
  assert.deepEqual(Buffer.from(opened.root), checkpoint.root);

  const other = verifierKey(origin, rawPublicKey(generateKeyPairSync('ed25519').publicKey));
  const wrongId = key.replace(
    /\+([0-9a-f]{8})\+/,
    (_m, id: string) => `+${id.startsWith('0') ? '1' : '0'}${id.slice(1)}+`,
  );
  const refusals: [string, string, RegExp][] = [
    [note.replace(`\n${tree.size}\n`, `\n${tree.size + 1}\n`), key, /no valid signature/],
    [note, other, /no valid signature/],
    [note, wrongId, /does not match its key/],
    [note.split('\n\n')[0]!, key, /no signature block/],
    [note, 'not a key', /not <name>\+<key id>\+<base64 key>/],
  ];
  for (const [changed, verifier, error] of refusals) {
    await assert.rejects(openCheckpoint(changed, verifier), error);
  }
});

test('the console opens a commitment as the server made it, and refuses a wrong value or salt', async () => {
  const { opensInBrowser } = await import('../console/src/ledger/commitments.ts');
  const { commitment } = await import('../src/ledger/commitments.ts');
  for (const value of ['MD4WPTN9YD50VQ19FRS4C26', null, 'tom "the \\ rumour"']) {
    const salt = randomBytes(16);
    const entry = JSON.stringify({ commitments: { subject: commitment({ ref: 'subject', value, salt }) } });
    const opening = { ref: 'subject', value, salt: salt.toString('base64url') };
    assert.equal(await opensInBrowser(entry, opening), true, String(value));
    assert.equal(await opensInBrowser(entry, { ...opening, value: 'MD0' }), false);
    assert.equal(
      await opensInBrowser(entry, { ...opening, salt: randomBytes(16).toString('base64url') }),
      false,
    );
    assert.equal(await opensInBrowser(entry, { ...opening, ref: 'pseudonym' }), false);
  }
});

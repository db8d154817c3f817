import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { test } from 'node:test';
import { rawPublicKey, signCheckpoint, verifierKey } from './checkpoint.ts';
import { leafHash, MerkleTree } from './merkle.ts';
import { followRotations, keyAt, type Rotation } from './verify-rotations.ts';

const origin = 'log.test/rotations';

function key(): { privateKey: KeyObject; verifier: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, verifier: verifierKey(origin, rawPublicKey(privateKey)) };
}

function tree(size: number): MerkleTree {
  const t = new MerkleTree();
  for (let i = 0; i < size; i++) t.append(leafHash(Buffer.from(`entry ${i}`)));
  return t;
}

const note = (t: MerkleTree, size: number, signers: KeyObject[]) =>
  signCheckpoint({ origin, size, root: Buffer.from(t.root(size)) }, origin, signers);

test('two rotations covered by one checkpoint signed by all three keys: both followed', async () => {
  const [k0, k1, k2] = [key(), key(), key()];
  const t = tree(10);
  const rotations: Rotation[] = [
    { index: 3, key: k1.verifier, previous: k0.verifier },
    { index: 5, key: k2.verifier, previous: k1.verifier },
  ];
  const handover = note(t, 8, [k0.privateKey, k1.privateKey, k2.privateKey]);
  const problems: string[] = [];
  const { chain, badIndex } = await followRotations({
    trusted: k0.verifier,
    rotations,
    tree: t,
    handover: async (index) => (index < 8 ? handover : undefined),
    problems,
  });
  assert.deepEqual(problems, []);
  assert.equal(badIndex, undefined);
  assert.deepEqual(
    chain.map((k) => [k.verifierKey, k.fromSize]),
    [
      [k0.verifier, 0],
      [k1.verifier, 4],
      [k2.verifier, 6],
    ],
  );
  assert.equal(keyAt(chain, 4)?.verifierKey, k1.verifier);
  assert.equal(keyAt(chain, 10)?.verifierKey, k2.verifier);
});

test('a rotation from a key that was not the log’s, or without the new key’s signature, is refused', async () => {
  const [k0, k1, stranger] = [key(), key(), key()];
  const t = tree(6);
  const cases: [Rotation, KeyObject[], RegExp][] = [
    [
      { index: 2, key: k1.verifier, previous: stranger.verifier },
      [k0.privateKey, k1.privateKey],
      /says it replaces .*: a forged rotation/,
    ],
    [
      { index: 2, key: k1.verifier, previous: k0.verifier },
      [k0.privateKey],
      /not signed by the key it announces/,
    ],
    [
      { index: 2, key: k1.verifier, previous: k0.verifier },
      [k1.privateKey],
      /not signed by the key it replaces/,
    ],
  ];
  for (const [rotation, signers, message] of cases) {
    const problems: string[] = [];
    const { chain, badIndex } = await followRotations({
      trusted: k0.verifier,
      rotations: [rotation],
      tree: t,
      handover: async () => note(t, 4, signers),
      problems,
    });
    assert.equal(badIndex, 2);
    assert.equal(chain.length, 1, 'the key is not followed');
    assert.match(problems[0]!, message);
  }
});

test('trusting a later key starts the chain at the rotation that announced it', async () => {
  const [k0, k1] = [key(), key()];
  const problems: string[] = [];
  const { chain } = await followRotations({
    trusted: k1.verifier,
    rotations: [{ index: 2, key: k1.verifier, previous: k0.verifier }],
    tree: tree(5),
    handover: async () => assert.fail('a rotation before the trusted key is not checked'),
    problems,
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(chain, [{ verifierKey: k1.verifier, fromSize: 3 }]);
  assert.equal(keyAt(chain, 2), undefined, 'older checkpoints are not vouched for by it');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRoot, leafHash, MerkleTree, verifyConsistency, verifyInclusion } from './merkle.ts';

// The RFC 6962 reference vectors used by Certificate Transparency implementations.
const entries = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const roots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const inclusion = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
];
const consistency = [
  {
    from: 2,
    to: 8,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
const tree = () => {
  const t = new MerkleTree();
  for (const e of entries) t.append(leafHash(unhex(e)));
  return t;
};

test('roots match the reference for every size 0..8', () => {
  assert.equal(hex(emptyRoot), roots[0]);
  const t = tree();
  for (let n = 0; n <= 8; n++) assert.equal(hex(t.root(n)), roots[n], `size ${n}`);
});

test('inclusion proofs match the reference and verify', () => {
  const t = tree();
  for (const v of inclusion) {
    assert.deepEqual(t.inclusionProof(v.index, v.size).map(hex), v.proof);
    assert.ok(verifyInclusion(t.leaf(v.index), v.index, v.size, v.proof.map(unhex), unhex(roots[v.size]!)));
  }
});

test('consistency proofs match the reference and verify', () => {
  const t = tree();
  for (const v of consistency) {
    assert.deepEqual(t.consistencyProof(v.from, v.to).map(hex), v.proof);
    assert.ok(
      verifyConsistency(v.from, v.to, unhex(roots[v.from]!), unhex(roots[v.to]!), v.proof.map(unhex)),
    );
  }
});

test('every proof of every tree up to 40 leaves verifies, and a changed one does not', () => {
  const t = new MerkleTree();
  for (let i = 0; i < 40; i++) t.append(leafHash(Buffer.from(`leaf ${i}`)));
  for (let n = 1; n <= 40; n++) {
    for (let i = 0; i < n; i++) {
      const proof = t.inclusionProof(i, n);
      assert.ok(verifyInclusion(t.leaf(i), i, n, proof, t.root(n)), `${i} in ${n}`);
      if (proof.length > 0) {
        const bad = proof.map((p) => Buffer.from(p));
        bad[0]![0]! ^= 1;
        assert.ok(!verifyInclusion(t.leaf(i), i, n, bad, t.root(n)));
      }
      assert.ok(!verifyInclusion(t.leaf(i), i, n, [...proof, t.leaf(0)], t.root(n)), 'extended');
    }
    for (let m = 1; m <= n; m++) {
      const proof = t.consistencyProof(m, n);
      assert.ok(verifyConsistency(m, n, t.root(m), t.root(n), proof), `${m} → ${n}`);
      const wrongRoot = Buffer.from(t.root(n));
      wrongRoot[0]! ^= 1;
      assert.ok(!verifyConsistency(m, n, t.root(m), wrongRoot, proof), `${m} → ${n} against another root`);
    }
  }
});

test('rootWith gives the root the tree would have with more leaves', () => {
  const t = new MerkleTree();
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const full = new MerkleTree();
  for (const leaf of leaves) full.append(leaf);
  for (let n = 0; n < 40; n++) {
    for (let extra = 1; n + extra <= 40; extra += 3) {
      assert.equal(hex(t.rootWith(leaves.slice(n, n + extra))), hex(full.root(n + extra)), `${n} + ${extra}`);
    }
    t.append(leaves[n]!);
  }
});

test('proofs beyond the tree are refused', () => {
  const t = tree();
  assert.throws(() => t.inclusionProof(8, 8), RangeError);
  assert.throws(() => t.inclusionProof(0, 9), RangeError);
  assert.throws(() => t.consistencyProof(5, 9), RangeError);
  assert.throws(() => t.consistencyProof(6, 5), RangeError);
  assert.throws(() => t.root(9), RangeError);
});

// Proofs from the ledger's own in-memory tree at a million leaves, against the SHA-256 of one
// interior node (65 bytes) that a proof takes about log2(n) of.
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../src/context.ts';
import { verifyConsistency, verifyInclusion } from '../src/ledger/merkle.ts';
import { progress, type Row, rates } from './_measure.ts';

const sampleCount = 2 ** 16;

export async function proofs(ctx: AppContext): Promise<{ rows: Row[]; notes: string[] }> {
  progress('ledger: inclusion and consistency proofs…');
  const tree = ctx.ledger.tree;
  const size = tree.size;
  const root = tree.root(size);
  const mask = sampleCount - 1;
  const leaves = Array.from({ length: sampleCount }, () => Math.floor(Math.random() * size));
  const older = Array.from({ length: sampleCount }, () => 1 + Math.floor(Math.random() * (size - 1)));
  let hashes = 0;
  for (let k = 0; k < 256; k++) {
    const i = leaves[k]!;
    const inclusion = tree.inclusionProof(i, size);
    hashes += inclusion.length;
    if (!verifyInclusion(tree.leaf(i), i, size, inclusion, root))
      throw new Error(`inclusion proof of ${i} fails`);
    const from = older[k]!;
    if (!verifyConsistency(from, size, tree.root(from), root, tree.consistencyProof(from, size))) {
      throw new Error(`consistency proof from ${from} fails`);
    }
  }
  const node = randomBytes(65);
  const rate = await rates({
    inclusion: { sync: (i) => tree.inclusionProof(leaves[i & mask]!, size) },
    consistency: { sync: (i) => tree.consistencyProof(older[i & mask]!, size) },
    sha: { sync: () => createHash('sha256').update(node).digest() },
  });
  const baseline = { baseline: 'raw SHA-256 of 65 B', baselineValue: rate.sha };
  return {
    rows: [
      {
        name: `inclusion proofs at ${(size / 1e6).toFixed(2)} M leaves (tree.inclusionProof)`,
        value: rate.inclusion,
        ...baseline,
        target: { rateAtLeast: 10_000 },
      },
      {
        name: '  consistency proofs to the latest size (tree.consistencyProof)',
        value: rate.consistency,
        ...baseline,
      },
    ],
    notes: [
      `proofs: the ledger's own tree (filled by ledger.sync from the entries written raw, then appended to), random leaves and random older sizes; ${(hashes / 256).toFixed(1)} hashes per inclusion proof on average; each proof checked with verifyInclusion / verifyConsistency before timing`,
    ],
  };
}

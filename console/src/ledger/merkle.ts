import { type Bytes, equal, sha256 } from './bytes.ts';

/**
 * RFC 9162 Merkle tree hashing and proof verification with WebCrypto: the same algorithms as
 * src/ledger/merkle.ts on the server, so the browser checks the server rather than trusting it.
 */

const hashSize = 32;

export function leafHash(entry: Uint8Array): Promise<Bytes> {
  return sha256(Uint8Array.of(0), entry);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256(Uint8Array.of(1), left, right);
}

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`? */
export async function verifyInclusion(options: {
  leaf: Uint8Array;
  index: number;
  size: number;
  proof: readonly Uint8Array[];
  root: Uint8Array;
}): Promise<boolean> {
  const { leaf, index, size, proof, root } = options;
  if (index < 0 || index >= size || leaf.length !== hashSize) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0 || p.length !== hashSize) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `from` leaves is a prefix of that of `to`? */
export async function verifyConsistency(options: {
  from: number;
  to: number;
  fromRoot: Uint8Array;
  toRoot: Uint8Array;
  proof: readonly Uint8Array[];
}): Promise<boolean> {
  const { from, to, fromRoot, toRoot, proof } = options;
  if (from > to || from < 0) return false;
  if (from === to) return proof.length === 0 && equal(fromRoot, toRoot);
  if (from === 0) return proof.length === 0 && equal(fromRoot, await sha256());
  if (proof.length === 0 || proof.some((p) => p.length !== hashSize)) return false;
  const path = (from & (from - 1)) === 0 ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, fromRoot) && equal(sr, toRoot) && sn === 0;
}

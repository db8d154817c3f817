import { createHash, hash } from 'node:crypto';

/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing and proofs, pure. Leaves are
 * SHA-256(0x00 ‖ entry), interior nodes SHA-256(0x01 ‖ left ‖ right).
 */

export const hashSize = 32;
export const emptyRoot = createHash('sha256').digest();

export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(entry).digest();
}

// One buffer for every interior node: the one-shot hash of it costs 2.2 µs against 3.05 µs for a
// Hash object fed three parts (measured here), and appends hash about log2(n) nodes each.
const node = Buffer.alloc(1 + 2 * hashSize);
node[0] = 1;

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  // A proof from elsewhere may hold a hash of another length: it is hashed as given, and fails.
  if (left.length !== hashSize || right.length !== hashSize) {
    return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
  }
  node.set(left, 1);
  node.set(right, 1 + hashSize);
  return hash('sha256', node, 'buffer');
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Hashes of one level of the tree, packed in one growing buffer (no object per node). */
class Level {
  #bytes = new Uint8Array(hashSize * 1024);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * hashSize > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(hash, this.count * hashSize);
    this.count++;
  }

  at(i: number): Uint8Array {
    return this.#bytes.subarray(i * hashSize, (i + 1) * hashSize);
  }
}

/**
 * An append-only tree in memory. Level k keeps the hash of every complete, aligned subtree of 2^k
 * leaves, so any subtree hash takes O(log n) hashing and proofs never read the whole tree.
 */
export class MerkleTree {
  readonly #levels: Level[] = [new Level()];

  get size(): number {
    return this.#levels[0]!.count;
  }

  append(leaf: Uint8Array): void {
    if (leaf.length !== hashSize) throw new TypeError('a leaf hash is 32 bytes');
    this.#levels[0]!.push(leaf);
    // Each completed pair at level k makes a node at level k + 1.
    for (let k = 0; this.#levels[k]!.count % 2 === 0; k++) {
      const level = this.#levels[k]!;
      if (this.#levels[k + 1] === undefined) this.#levels.push(new Level());
      const parent = this.#levels[k + 1]!;
      parent.push(nodeHash(level.at(level.count - 2), level.at(level.count - 1)));
    }
  }

  leaf(index: number): Uint8Array {
    return this.#levels[0]!.at(index);
  }

  /** The root of the tree's first `size` leaves. */
  root(size: number = this.size): Uint8Array {
    this.#checkSize(size);
    return size === 0 ? emptyRoot : this.#hash(0, size);
  }

  /**
   * The tree's complete subtrees, largest first (the binary decomposition of its size): enough to
   * append further leaves and fold a root without touching the stored levels (see `Peaks`).
   */
  peaks(): Peaks {
    const peaks = new Peaks();
    let start = 0;
    for (let bit = 2 ** Math.floor(Math.log2(this.size || 1)); bit >= 1; bit /= 2) {
      if (this.size & bit) {
        peaks.stack.push({ hash: this.#hash(start, start + bit), size: bit });
        start += bit;
      }
    }
    return peaks;
  }

  /** The root the tree would have with `extra` leaves appended, without appending them. */
  rootWith(extra: readonly Uint8Array[]): Uint8Array {
    const peaks = this.peaks();
    for (const leaf of extra) peaks.push(leaf);
    return peaks.root();
  }

  /** RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size: number): Uint8Array[] {
    this.#checkSize(size);
    if (!Number.isInteger(index) || index < 0 || index >= size)
      throw new RangeError('index is not in the tree');
    const proof: Uint8Array[] = [];
    this.#path(index, 0, size, proof);
    return proof;
  }

  /** RFC 9162 §2.1.4.1: proof that the tree of `from` leaves is a prefix of the tree of `to`. */
  consistencyProof(from: number, to: number): Uint8Array[] {
    this.#checkSize(to);
    if (!Number.isInteger(from) || from < 0 || from > to)
      throw new RangeError('from must lie between 0 and to');
    const proof: Uint8Array[] = [];
    if (from > 0 && from < to) this.#subproof(from, 0, to, true, proof);
    return proof;
  }

  #path(m: number, start: number, n: number, out: Uint8Array[]): void {
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.#path(m, start, k, out);
      out.push(this.#hash(start + k, start + n));
    } else {
      this.#path(m - k, start + k, n - k, out);
      out.push(this.#hash(start, start + k));
    }
  }

  #subproof(m: number, start: number, n: number, complete: boolean, out: Uint8Array[]): void {
    if (m === n) {
      if (!complete) out.push(this.#hash(start, start + n));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.#subproof(m, start, k, complete, out);
      out.push(this.#hash(start + k, start + n));
    } else {
      this.#subproof(m - k, start + k, n - k, false, out);
      out.push(this.#hash(start, start + k));
    }
  }

  /** MTH(D[start : start + n]) from the stored complete subtrees. */
  #hash(start: number, end: number): Uint8Array {
    const n = end - start;
    if ((n & (n - 1)) === 0 && start % n === 0) return this.#levels[Math.log2(n)]!.at(start / n);
    const k = splitPoint(n);
    return nodeHash(this.#hash(start, start + k), this.#hash(start + k, end));
  }

  #checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size)
      throw new RangeError('size is beyond the tree');
  }
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index < 0 || index >= size || leaf.length !== hashSize) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0 || p.length !== hashSize) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `from` leaves is a prefix of that of `to`? */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (from > to || from < 0) return false;
  if (from === to) return proof.length === 0 && equal(fromRoot, toRoot);
  if (from === 0) return proof.length === 0 && equal(fromRoot, emptyRoot);
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
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equal(fr, fromRoot) && equal(sr, toRoot) && sn === 0;
}

/**
 * The right edge of a tree being appended to: a binary counter of complete subtrees. Appending a
 * leaf is O(log n) amortised O(1) hashes, and the root folds the peaks from the right.
 */
export class Peaks {
  readonly stack: { hash: Uint8Array; size: number }[] = [];

  push(leaf: Uint8Array): void {
    this.stack.push({ hash: leaf, size: 1 });
    while (this.stack.length > 1 && this.stack.at(-1)!.size === this.stack.at(-2)!.size) {
      const right = this.stack.pop()!;
      const left = this.stack.pop()!;
      this.stack.push({ hash: nodeHash(left.hash, right.hash), size: left.size * 2 });
    }
  }

  root(): Uint8Array {
    if (this.stack.length === 0) return emptyRoot;
    let root = this.stack.at(-1)!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) root = nodeHash(this.stack[i]!.hash, root);
    return root;
  }
}

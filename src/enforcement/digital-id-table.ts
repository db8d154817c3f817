import { crockford } from '../util/base32.ts';

/** What `lookup` answers: not in the table, in it, or in it and marked. */
export const absent = -1;
export const present = 0;
export const marked = 1;
export type Found = typeof absent | typeof present | typeof marked;

// A digital ID is "MD" and 21 base32 characters (the last a check character): 105 bits, kept in
// four 32-bit words of one 16-byte slot, so that a lookup reads one cache line. Words 0–2 hold six
// characters each, word 3 the last three, whether the slot is taken, and the mark.
const idLength = 23;
const wordsPerSlot = 4;
const markBit = 1 << 15;
const takenBit = 1 << 16;
const maxLoad = 0.75;

const digitOf = new Int8Array(128).fill(-1);
for (let value = 0; value < crockford.length; value++) digitOf[crockford.charCodeAt(value)] = value;

/**
 * A set of canonical digital IDs in one typed array, each with a mark: 16 bytes per slot and no
 * string kept, where a Map of the ID strings takes about 90 bytes per ID and reads three places in
 * memory per lookup (its table, its entry, the key's characters). IDs are never removed.
 */
export class DigitalIdTable {
  #slots = new Int32Array(16 * wordsPerSlot);
  #shift = 32 - 4;
  #size = 0;
  // The key being looked up, decoded: one buffer for every call, so lookups allocate nothing.
  readonly #key = new Int32Array(wordsPerSlot);

  get size(): number {
    return this.#size;
  }

  /** Whether `id` is here and marked. Anything but a canonical digital ID is absent. */
  lookup(id: string): Found {
    if (!decode(id, this.#key)) return absent;
    const slot = this.#find(this.#key);
    if (slot < 0) return absent;
    return this.#slots[slot + 3]! & markBit ? marked : present;
  }

  /** Adds `id` unmarked, if it is not here yet. */
  add(id: string): void {
    this.#slotOf(id);
  }

  /** Adds `id` if it is not here yet, and marks or unmarks it. */
  mark(id: string, isMarked: boolean): void {
    const slot = this.#slotOf(id);
    const word = this.#slots[slot + 3]!;
    this.#slots[slot + 3] = isMarked ? word | markBit : word & ~markBit;
  }

  /** The slot holding `id`, taken for it if it was not here. */
  #slotOf(id: string): number {
    if (!decode(id, this.#key)) throw new RangeError(`not a canonical digital ID: "${id}"`);
    const found = this.#find(this.#key);
    if (found >= 0) return found;
    if (this.#size + 1 > maxLoad * (this.#slots.length / wordsPerSlot)) {
      this.#grow();
      return this.#slotOf(id);
    }
    const slot = -found - 1;
    this.#slots.set(this.#key, slot);
    this.#size++;
    return slot;
  }

  /** The slot holding `key` (its first word's index), or -1 - the free slot where it would go. */
  #find(key: Int32Array): number {
    const slots = this.#slots;
    const last = slots.length - wordsPerSlot;
    const [w0, w1, w2, w3] = key as unknown as [number, number, number, number];
    // Linear probing from a multiplicative hash of two of the ID's random words.
    let slot = (Math.imul(w0 ^ w2, 0x9e3779b1) >>> this.#shift) * wordsPerSlot;
    for (;;) {
      const tail = slots[slot + 3]!;
      if (
        (tail & ~markBit) === w3 &&
        slots[slot] === w0 &&
        slots[slot + 1] === w1 &&
        slots[slot + 2] === w2
      ) {
        return slot;
      }
      if ((tail & takenBit) === 0) return -slot - 1;
      slot = slot === last ? 0 : slot + wordsPerSlot;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    this.#shift--;
    const key = new Int32Array(wordsPerSlot);
    for (let slot = 0; slot < old.length; slot += wordsPerSlot) {
      if ((old[slot + 3]! & takenBit) === 0) continue;
      key.set(old.subarray(slot, slot + wordsPerSlot));
      key[3] = key[3]! & ~markBit;
      const free = -this.#find(key) - 1;
      this.#slots.set(old.subarray(slot, slot + wordsPerSlot), free);
    }
  }
}

/** Decodes a canonical digital ID into `into`'s four words; false if `id` is not one. */
function decode(id: string, into: Int32Array): boolean {
  if (id.length !== idLength || id.charCodeAt(0) !== 77 /* M */ || id.charCodeAt(1) !== 68 /* D */) {
    return false;
  }
  let word = 0;
  let filled = 0;
  let invalid = 0;
  for (let i = 2; i < idLength; i++) {
    const code = id.charCodeAt(i);
    const digit = code < 128 ? digitOf[code]! : -1;
    invalid |= digit;
    word = (word << 5) | (digit & 31);
    // Characters 2–7, 8–13 and 14–19 fill words 0, 1 and 2; 20–22 are left for word 3.
    if (i % 6 === 1) {
      into[filled++] = word;
      word = 0;
    }
  }
  into[3] = word | takenBit;
  return invalid >= 0;
}

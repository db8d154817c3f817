/**
 * A small seeded pseudo-random generator (sfc32, seeded through the cyrb128 string hash) and the
 * draws the simulation needs. Pure: the same seed and labels give the same numbers on every run,
 * which is what makes a simulated population reproducible. Not for anything secret.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** A generator for `seed` and a label path (`'subject', 17`): each label path its own stream. */
  constructor(seed: number, ...labels: (string | number)[]) {
    [this.#a, this.#b, this.#c, this.#d] = cyrb128([seed, ...labels].join('|'));
    for (let i = 0; i < 12; i++) this.uint32(); // the first outputs of sfc32 are poorly mixed
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [low, high], both included. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of items) total += weight;
    let target = this.next() * total;
    for (const [item, weight] of items) {
      target -= weight;
      if (target < 0) return item;
    }
    return items.at(-1)![0];
  }

  /** Roughly normal (Irwin–Hall, four uniforms): bell-shaped, bounded at ±3.5 sd, no transcendentals. */
  normal(mean: number, sd: number): number {
    const sum = this.next() + this.next() + this.next() + this.next();
    return mean + (sum - 2) * sd * Math.sqrt(3);
  }

  /** Exponential with the given mean: waiting times. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Pareto with minimum 1 and shape `alpha`, capped: a few large values, many small ones. */
  pareto(alpha: number, cap: number): number {
    return Math.min(cap, (1 - this.next()) ** (-1 / alpha));
  }

  /** Log-normal: multiplicative spread around 1, for activity levels. */
  logNormal(sigma: number): number {
    return Math.exp(this.normal(0, sigma));
  }

  /** `n` distinct integers from [0, max), in the order drawn (n ≤ max). */
  distinct(n: number, max: number): number[] {
    const chosen: number[] = [];
    while (chosen.length < Math.min(n, max)) {
      const value = this.int(max);
      if (!chosen.includes(value)) chosen.push(value);
    }
    return chosen;
  }

  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i += 4) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, bytes * 2);
  }
}

/** The index in [0, count) whose slice of the cumulative weights `cumulative` holds `u` ∈ [0, 1). */
export function pickCumulative(cumulative: Float64Array, count: number, u: number): number {
  const total = cumulative[count - 1] ?? 0;
  if (total <= 0) return Math.floor(u * count); // nobody weighs anything: everyone equally
  const target = u * total;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

// cyrb128 (bryc, public domain): a fast 128-bit string hash, enough to spread seeds over sfc32's state.
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

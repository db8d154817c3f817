import type { Policy, PolicyDocument } from '../policy/policy.ts';

/**
 * The credit model, pure: what a contribution weighs on a given day, and the score, grade and
 * dimensions a set of contributions gives. Everything is integer arithmetic on milli-points with
 * a per-day decay table, so that adding contributions one at a time and recomputing from scratch
 * give exactly the same numbers.
 */

export const dayMs = 86_400_000;
const one = 1 << 20; // decay factors are fixed-point with 20 fractional bits

/** What a contribution is: its cause decides its weight and dimension under the policy. */
export interface Contribution {
  id: string;
  causeKind: 'case' | 'event' | 'sanction';
  causeId: string;
  /** A conduct category, or a sanction kind for causeKind "sanction". */
  code: string;
  severity: number | null;
  /** Days since 1970-01-01 (UTC) of when it happened. */
  day: number;
}

/** What the model needs of a contribution to weigh it. */
export type Weighable = Pick<Contribution, 'causeKind' | 'code' | 'severity' | 'day'>;

export interface Evaluation {
  /** Milli-points per dimension, after decay. */
  dimensions: Record<string, number>;
  score: number;
  grade: string;
}

export function dayOf(time: Date | string | number): number {
  return Math.floor(new Date(time).getTime() / dayMs);
}

/** The scoring rules of one policy, with its decay tables built once. */
export class CreditModel {
  readonly policy: Policy;
  readonly #credit: PolicyDocument['credit'];
  readonly #decay = new Map<string, Int32Array>();
  readonly #thresholdMilli: number;

  constructor(policy: Policy) {
    this.policy = policy;
    this.#credit = policy.document.credit;
    this.#thresholdMilli = this.#credit.expiresBelowPoints * 1000;
    for (const [name, dimension] of Object.entries(this.#credit.dimensions)) {
      // Beyond 30 half-lives every factor is 0 at this precision.
      const length = dimension.halfLifeDays * 30 + 1;
      const table = new Int32Array(length);
      for (let d = 0; d < length; d++) table[d] = Math.round(one * 2 ** (-d / dimension.halfLifeDays));
      this.#decay.set(name, table);
    }
  }

  get dimensionNames(): string[] {
    return Object.keys(this.#credit.dimensions);
  }

  /** The dimension and undecayed milli-points of a contribution under this policy. */
  weigh(c: Pick<Contribution, 'causeKind' | 'code' | 'severity'>): { dimension: string; milli: number } {
    if (c.causeKind === 'sanction') {
      const points =
        this.#credit.sanctionPoints[c.code as keyof PolicyDocument['credit']['sanctionPoints']] ?? 0;
      return { dimension: this.#credit.sanctionDimension, milli: points * 1000 };
    }
    const category = this.policy.category(c.code);
    // A category dropped from the policy no longer counts.
    if (category === undefined) return { dimension: this.#credit.sanctionDimension, milli: 0 };
    const points = category.points[Math.min(c.severity ?? 1, category.points.length) - 1] ?? 0;
    return { dimension: category.dimension, milli: points * 1000 };
  }

  /** Milli-points left of `milli` after `days` in `dimension`; 0 once below the policy's threshold. */
  decayed(milli: number, days: number, dimension: string): number {
    const table = this.#decay.get(dimension)!;
    const factor = days <= 0 ? one : (table[days] ?? 0);
    const value = Math.trunc((milli * factor) / one);
    return Math.abs(value) < this.#thresholdMilli ? 0 : value;
  }

  /** What a contribution weighs on `day`. */
  contributionOn(c: Weighable, day: number): { dimension: string; milli: number; decayed: number } {
    const { dimension, milli } = this.weigh(c);
    return { dimension, milli, decayed: this.decayed(milli, day - c.day, dimension) };
  }

  /** The first day on which a contribution no longer counts, or undefined if it never did. */
  expiryDay(c: Weighable): number | undefined {
    const { dimension, milli } = this.weigh(c);
    if (this.decayed(milli, 0, dimension) === 0) return undefined;
    const table = this.#decay.get(dimension)!;
    let low = 0;
    let high = table.length; // decayed(.., table.length) is 0
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (this.decayed(milli, mid, dimension) === 0) high = mid;
      else low = mid;
    }
    return c.day + high;
  }

  /** Empty dimensions: the state of a subject with no contributions. */
  emptyDimensions(): Record<string, number> {
    return Object.fromEntries(this.dimensionNames.map((d) => [d, 0]));
  }

  /** Score and grade from decayed dimension totals. */
  scoreOf(dimensions: Record<string, number>): { score: number; grade: string } {
    let milli = 0;
    for (const value of Object.values(dimensions)) milli += value;
    const { base, floor, ceiling } = this.#credit;
    const score = Math.min(ceiling, Math.max(floor, base + Math.round(milli / 1000)));
    return { score, grade: this.policy.gradeOf(score) };
  }

  /** Evaluates a subject's contributions on `day` from scratch. */
  evaluate(contributions: Iterable<Weighable>, day: number): Evaluation {
    const dimensions = this.emptyDimensions();
    for (const c of contributions) {
      const { dimension, decayed } = this.contributionOn(c, day);
      dimensions[dimension] = (dimensions[dimension] ?? 0) + decayed;
    }
    return { dimensions, ...this.scoreOf(dimensions) };
  }

  /** Band index of a score for distributions: [floor + i·width, floor + (i+1)·width). */
  bandOf(score: number): number {
    return Math.floor((score - this.#credit.floor) / this.#credit.bandWidth);
  }
}

import type { Policy, PolicyDocument } from '../policy/policy.ts';
import { dayMs } from '../util/time.ts';

/**
 * The credit model, pure: what a contribution weighs on a given day, and the score, grade and
 * dimensions a set of contributions gives. Everything is integer arithmetic on milli-points with
 * a per-day decay table, so that adding contributions one at a time and recomputing from scratch
 * give exactly the same numbers.
 */

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

/** What a contribution weighs before decay: a dimension (by its index) and milli-points. */
export interface Weight {
  dimension: number;
  milli: number;
}

export function dayOf(time: Date | string | number): number {
  return Math.floor(new Date(time).getTime() / dayMs);
}

/** The scoring rules of one policy, with its decay tables built once. */
export class CreditModel {
  readonly policy: Policy;
  readonly #credit: PolicyDocument['credit'];
  readonly #names: string[];
  /** Per dimension (by index): the decay factor of each age in days. */
  readonly #decay: Int32Array[];
  readonly #thresholdMilli: number;
  /** Weights by cause kind and code; conduct categories per severity (1 at index 0). */
  readonly #weights: Record<Contribution['causeKind'], Map<string, Weight[]>>;
  readonly #unknown: Weight;

  constructor(policy: Policy) {
    this.policy = policy;
    this.#credit = policy.document.credit;
    this.#thresholdMilli = this.#credit.expiresBelowPoints * 1000;
    this.#names = Object.keys(this.#credit.dimensions);
    this.#decay = Object.values(this.#credit.dimensions).map(({ halfLifeDays }) => {
      // Beyond 30 half-lives every factor is 0 at this precision.
      const length = halfLifeDays * 30 + 1;
      const table = new Int32Array(length);
      for (let d = 0; d < length; d++) table[d] = Math.round(one * 2 ** (-d / halfLifeDays));
      return table;
    });
    const sanctionDimension = this.#names.indexOf(this.#credit.sanctionDimension);
    // A category dropped from the policy no longer counts.
    this.#unknown = { dimension: sanctionDimension, milli: 0 };
    const categories = new Map<string, Weight[]>();
    for (const [name, category] of Object.entries(policy.document.categories)) {
      const dimension = this.#names.indexOf(category.dimension);
      categories.set(
        name,
        category.points.map((points) => ({ dimension, milli: points * 1000 })),
      );
    }
    const sanctions = new Map<string, Weight[]>();
    for (const [kind, points] of Object.entries(this.#credit.sanctionPoints)) {
      sanctions.set(kind, [{ dimension: sanctionDimension, milli: (points ?? 0) * 1000 }]);
    }
    this.#weights = { case: categories, event: categories, sanction: sanctions };
  }

  get dimensionNames(): string[] {
    return this.#names;
  }

  /**
   * What a contribution weighs before decay (a shared object: do not change it). Looked up per
   * contribution on every path: one map lookup, no allocation.
   */
  weightOf(causeKind: Contribution['causeKind'], code: string, severity: number | null): Weight {
    const bySeverity = this.#weights[causeKind]?.get(code);
    if (bySeverity === undefined) return this.#unknown;
    // Sanctions have one weight; a category's severities above its scale weigh as its top one.
    return bySeverity[Math.min(severity ?? 1, bySeverity.length) - 1] ?? this.#unknown;
  }

  /**
   * Whether a contribution counted on the score without a decision: a negative conduct event,
   * which only a category counted directly (`negativeEvents: "direct"`) records. A denial by grade
   * of an action outside the worlds never rests on these points alone (credit/grades.ts).
   */
  isDirect(c: Pick<Contribution, 'causeKind' | 'code' | 'severity'>): boolean {
    return c.causeKind === 'event' && this.weightOf(c.causeKind, c.code, c.severity).milli < 0;
  }

  /** Milli-points left of `milli` after `days` in a dimension; 0 once below the policy's threshold. */
  #decayed(milli: number, days: number, dimension: number): number {
    const factor = days <= 0 ? one : (this.#decay[dimension]![days] ?? 0);
    const value = Math.trunc((milli * factor) / one);
    return Math.abs(value) < this.#thresholdMilli ? 0 : value;
  }

  /** What a contribution weighs on `day`. */
  contributionOn(c: Weighable, day: number): { dimension: string; milli: number; decayed: number } {
    const { dimension, milli } = this.weightOf(c.causeKind, c.code, c.severity);
    return {
      dimension: this.#names[dimension]!,
      milli,
      decayed: this.#decayed(milli, day - c.day, dimension),
    };
  }

  /**
   * Adds what one contribution weighs on `day` to `totals` (milli-points per dimension, in the
   * order of `dimensionNames`): the allocation-free path of a full recompute.
   */
  addTo(
    totals: number[],
    causeKind: Contribution['causeKind'],
    code: string,
    severity: number | null,
    contributionDay: number,
    day: number,
  ): void {
    this.addDecayed(totals, this.weightOf(causeKind, code, severity), day - contributionDay);
  }

  /** Adds what a contribution of `weight` is worth `age` days after it to `totals`. */
  addDecayed(totals: number[], weight: Weight, age: number): void {
    totals[weight.dimension]! += this.#decayed(weight.milli, age, weight.dimension);
  }

  /** The first day on which a contribution no longer counts, or undefined if it never did. */
  expiryDay(c: Weighable): number | undefined {
    const { dimension, milli } = this.weightOf(c.causeKind, c.code, c.severity);
    if (this.#decayed(milli, 0, dimension) === 0) return undefined;
    let low = 0;
    let high = this.#decay[dimension]!.length; // decayed(.., table length) is 0
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (this.#decayed(milli, mid, dimension) === 0) high = mid;
      else low = mid;
    }
    return c.day + high;
  }

  /** Empty dimensions: the state of a subject with no contributions. */
  emptyDimensions(): Record<string, number> {
    return Object.fromEntries(this.#names.map((d) => [d, 0]));
  }

  /** Score and grade from decayed dimension totals. */
  scoreOf(dimensions: Record<string, number>): { score: number; grade: string } {
    return this.scoreOfTotal(Object.values(dimensions).reduce((sum, value) => sum + value, 0));
  }

  /** Score and grade from the sum of the decayed dimension totals, in milli-points. */
  scoreOfTotal(milli: number): { score: number; grade: string } {
    const { base, floor, ceiling } = this.#credit;
    const score = Math.min(ceiling, Math.max(floor, base + Math.round(milli / 1000)));
    return { score, grade: this.policy.gradeOf(score) };
  }

  /** Evaluates a subject's contributions on `day` from scratch. */
  evaluate(contributions: Iterable<Weighable>, day: number): Evaluation {
    const totals = this.#names.map(() => 0);
    for (const c of contributions) this.addTo(totals, c.causeKind, c.code, c.severity, c.day, day);
    const dimensions = Object.fromEntries(this.#names.map((name, i) => [name, totals[i]!]));
    return { dimensions, ...this.scoreOf(dimensions) };
  }

  /** Band index of a score for distributions: [floor + i·width, floor + (i+1)·width). */
  bandOf(score: number): number {
    return Math.floor((score - this.#credit.floor) / this.#credit.bandWidth);
  }
}

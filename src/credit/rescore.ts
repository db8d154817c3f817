import type { Contribution, CreditModel } from './model.ts';

/** A score row as a full recompute reads it: subject, kind, score, grade, dimensions (JSON), as-of day. */
export type ScoreRow = [
  subject: string,
  kind: string,
  score: number,
  grade: string,
  dimensions: string,
  asOfDay: number,
];

/** An active contribution as a full recompute reads it: only what the model weighs. */
export type ContributionRow = [
  subject: string,
  causeKind: Contribution['causeKind'],
  code: string,
  severity: number | null,
  day: number,
];

/** A subject whose stored score row differs from what its contributions give today. */
export interface Rescored {
  subject: string;
  kind: string;
  before: { score: number; grade: string };
  score: number;
  grade: string;
  /** JSON, as the score row stores it. */
  dimensions: string;
}

/** What one batch of subjects gives: its rescored subjects, and how many subjects have each score. */
export interface RescoredBatch {
  subjects: number;
  contributions: number;
  rescored: Rescored[];
  /** [kind, score, subjects] */
  histogram: [string, number, number][];
}

/** A batch's contributions, walked subject by subject in the order of its score rows. */
export interface BatchContributions {
  /** Adds what the contributions of `subject` are worth to `totals`, if it is the next they hold. */
  addNext(subject: string, totals: number[]): void;
  /** How many contributions there were; throws if the walk left any unpaired. */
  finish(): number;
}

/**
 * Evaluates a batch of subjects from scratch on `day`: the score rows and the contributions of the
 * same subjects, both in the order of ORDER BY subject from the same store, so that one walk pairs
 * them. Pure, so that worker threads and the recompute's own thread run the same code.
 */
export function rescoreBatch(
  model: CreditModel,
  scores: ScoreRow[],
  contributions: BatchContributions,
  day: number,
): RescoredBatch {
  const toJson = dimensionsJson(model.dimensionNames);
  const totals = model.dimensionNames.map(() => 0);
  const histogram = new Map<string, Map<number, number>>();
  const rescored: Rescored[] = [];
  for (const [subject, kind, score, grade, dimensions, asOfDay] of scores) {
    totals.fill(0);
    contributions.addNext(subject, totals);
    let milli = 0;
    for (const value of totals) milli += value;
    const after = model.scoreOfTotal(milli);
    let byScore = histogram.get(kind);
    if (byScore === undefined) {
      byScore = new Map();
      histogram.set(kind, byScore);
    }
    byScore.set(after.score, (byScore.get(after.score) ?? 0) + 1);
    const json = toJson(totals);
    // The same contributions may still give another score or grade: the policy's base, bounds or
    // grade bands may have changed.
    if (json === dimensions && asOfDay === day && after.score === score && after.grade === grade) continue;
    rescored.push({ subject, kind, before: { score, grade }, ...after, dimensions: json });
  }
  return {
    subjects: scores.length,
    // Only a contribution whose subject has no score row, or the two read in different orders,
    // leave the walk unfinished: neither may happen, and scoring on would give wrong scores.
    contributions: contributions.finish(),
    rescored,
    histogram: [...histogram].flatMap(([kind, byScore]) =>
      [...byScore].map(([score, count]): [string, number, number] => [kind, score, count]),
    ),
  };
}

/** Contribution rows, one each, walked subject by subject. */
export function contributionRows(
  model: CreditModel,
  rows: ContributionRow[],
  day: number,
): BatchContributions {
  let next = 0;
  return {
    addNext(subject, totals) {
      for (let c = rows[next]; c?.[0] === subject; c = rows[++next]) {
        model.addTo(totals, c[1], c[2], c[3], c[4], day);
      }
    },
    finish() {
      if (next !== rows.length) throw new UnpairedContributionError(rows[next]![0]);
      return rows.length;
    },
  };
}

/** Contributions of a subject that the walk did not pair with a score row. */
export class UnpairedContributionError extends Error {
  constructor(subject: string) {
    super(`contribution of ${subject} not paired with a score row`);
  }
}

/** JSON.stringify of the dimensions object, keys in the policy's order, without building it. */
function dimensionsJson(names: string[]): (totals: number[]) => string {
  const keys = names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  return (totals) => {
    let json = '';
    for (let i = 0; i < keys.length; i++) json += keys[i]! + totals[i]!;
    return `${json || '{'}}`;
  };
}

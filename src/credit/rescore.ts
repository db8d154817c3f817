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

/**
 * Evaluates a batch of subjects from scratch on `day`: the score rows and the contributions of the
 * same subjects, both in the order of ORDER BY subject from the same store, so that one walk pairs
 * them. Pure, so that worker threads and the recompute's own thread run the same code.
 */
export function rescoreBatch(
  model: CreditModel,
  scores: ScoreRow[],
  contributions: ContributionRow[],
  day: number,
): RescoredBatch {
  const toJson = dimensionsJson(model.dimensionNames);
  const totals = model.dimensionNames.map(() => 0);
  const histogram = new Map<string, Map<number, number>>();
  const rescored: Rescored[] = [];
  let next = 0;
  for (const [subject, kind, score, grade, dimensions, asOfDay] of scores) {
    totals.fill(0);
    for (let c = contributions[next]; c?.[0] === subject; c = contributions[++next]) {
      model.addTo(totals, c[1], c[2], c[3], c[4], day);
    }
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
    if (json === dimensions && asOfDay === day) continue;
    rescored.push({ subject, kind, before: { score, grade }, ...after, dimensions: json });
  }
  if (next !== contributions.length) {
    // Only a contribution whose subject has no score row, or the two in different orders, stop
    // the walk early: neither may happen, and scoring on would give wrong scores silently.
    throw new Error(`contribution of ${contributions[next]![0]} not paired with a score row`);
  }
  return {
    subjects: scores.length,
    contributions: contributions.length,
    rescored,
    histogram: [...histogram].flatMap(([kind, byScore]) =>
      [...byScore].map(([score, count]): [string, number, number] => [kind, score, count]),
    ),
  };
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

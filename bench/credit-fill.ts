// A credit population as large as the target's, written straight into the tables with raw
// prepared inserts: through the services, 10 M events would take hours to set up. The rows are
// those the services write (same id shapes, causes, codes and days) and lie where the services
// would have put them: contributions in the order they happened, subjects in enrolment order.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CreditModel } from '../src/credit/model.ts';
import { newDigitalId } from '../src/identity/digital-id.ts';
import { crockford } from '../src/util/base32.ts';
import { day } from './_fixtures.ts';

export interface CreditPopulation {
  /** Digital ids, sorted (the order recompute walks them in). */
  subjects: string[];
  /** Contributions per subject, in the order of `subjects`. */
  counts: Uint32Array;
  events: number;
}

/**
 * What the score rows say: what the incremental path leaves (a recompute then changes nothing,
 * the steady state), or the base, as if every subject had just been enrolled (a recompute then
 * changes nearly every score, as after a policy change).
 */
export type Scores = 'current' | 'base';

/** Rows per transaction while filling: big transactions spare rewriting the same pages at commit. */
const fillBatch = 500_000;
/** The past year: contributions older than that have mostly decayed. */
const spanDays = 365;
/** The heaviest subject (a bot farm's account, a busy trader) gets about this many at most. */
const maxPerSubject = 20_000;

/** What worlds report, share per contribution; cases and sanctions ride on the negative ones. */
export const categoryShares: [string, number][] = [
  ['honest_trade', 0.38],
  ['helping_others', 0.18],
  ['volunteering', 0.05],
  ['spam', 0.09],
  ['cheating', 0.06],
  ['disruption', 0.06],
  ['harassment', 0.07],
  ['hate_speech', 0.03],
  ['fraud', 0.04],
  ['spreading_rumors', 0.02],
  ['identity_theft', 0.02],
];
const sanctionShares: [string, number][] = [
  ['warning', 0.3],
  ['mute', 0.3],
  ['suspension', 0.25],
  ['restriction', 0.1],
  ['ban', 0.05],
];
const subjectKinds = ['person', 'organisation', 'agency'] as const;

/**
 * Writes `subjects` subjects with their score rows and `events` contributions over them,
 * Pareto-distributed over subjects and spread over the past year. The caller runs this under
 * `seeding` (synchronous=OFF); the indexes of the two credit tables are built after the rows, and
 * foreign keys are checked by construction instead of per row.
 */
export function fillCredit(
  sqlite: Database.Database,
  model: CreditModel,
  options: { subjects: number; events: number; now: Date; scores: Scores },
): CreditPopulation {
  const subjects = Array.from({ length: options.subjects }, () => newDigitalId()).sort();
  const population = {
    subjects,
    counts: paretoCounts(options.subjects, options.events),
    events: options.events,
  };
  const cacheSize = sqlite.pragma('cache_size', { simple: true });
  sqlite.pragma('cache_size = -2000000');
  sqlite.pragma('foreign_keys = OFF');
  try {
    withIndexesAfter(sqlite, ['credit_contributions', 'credit_scores'], () => {
      const totals = insertContributions(sqlite, model, population, options.now);
      insertSubjects(sqlite, model, { subjects, totals, now: options.now, scores: options.scores });
    });
  } finally {
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return population;
}

/**
 * Contributions per subject: Lomax (Pareto II, α = 1.5) weights, capped, scaled so that they add
 * up to `events` exactly. Most subjects have a few, a few have thousands.
 */
function paretoCounts(subjects: number, events: number): Uint32Array {
  const weights = new Float64Array(subjects);
  let total = 0;
  for (let i = 0; i < subjects; i++) {
    weights[i] = (1 - Math.random()) ** (-1 / 1.5) - 1;
    total += weights[i]!;
  }
  const cap = (maxPerSubject * total) / events;
  total = 0;
  for (let i = 0; i < subjects; i++) {
    weights[i] = Math.min(cap, weights[i]!);
    total += weights[i]!;
  }
  const counts = new Uint32Array(subjects);
  let cumulative = 0;
  let given = 0;
  for (let i = 0; i < subjects; i++) {
    cumulative += weights[i]!;
    const upTo = Math.round((cumulative / total) * events);
    counts[i] = upTo - given;
    given = upTo;
  }
  return counts;
}

/** Drops the indexes of `tables`, runs `fill`, and creates them again as the migrations did. */
function withIndexesAfter(sqlite: Database.Database, tables: string[], fill: () => void): void {
  const indexes = sqlite
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
       and tbl_name in (${tables.map(() => '?').join(', ')})`,
    )
    .all(...tables) as { name: string; sql: string }[];
  for (const { name } of indexes) sqlite.exec(`drop index "${name}"`);
  fill();
  for (const { sql } of indexes) sqlite.exec(sql);
}

/**
 * The contributions in the order they happened over the past year, each to a subject drawn by its
 * share. Returns each subject's milli-points per dimension on `now`, as the incremental path sums
 * them (subject-major, dimensions in the policy's order).
 */
function insertContributions(
  sqlite: Database.Database,
  model: CreditModel,
  population: CreditPopulation,
  now: Date,
): Float64Array {
  const insert = sqlite.prepare(
    `insert into credit_contributions
       (id, subject_id, cause_kind, cause_id, case_id, code, severity, day, occurred_at, status)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')`,
  );
  const dimensions = model.dimensionNames;
  const totals = new Float64Array(population.subjects.length * dimensions.length);
  const today = Math.floor(now.getTime() / day);
  const owners = shuffled(ownerOfEach(population.counts, population.events));
  const ids = new SortedIds(population.events);
  const randomIds = new RandomIds();
  const categories = new WeightedPick(categoryShares);
  const sanctions = new WeightedPick(sanctionShares);
  const start = now.getTime() - spanDays * day;
  /** Each subject's latest decided case, which the sanctions it imposed come after. */
  const lastCase = new Map<number, string>();
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const s = owners[k]!;
      const time = Math.floor(start + ((k + Math.random()) / population.events) * spanDays * day);
      const r = Math.random();
      let c: { causeKind: 'case' | 'event' | 'sanction'; code: string; severity: number | null };
      let caseId: string | null = null;
      if (r < 0.03 && lastCase.has(s)) {
        c = { causeKind: 'sanction', code: sanctions.next(), severity: null };
        caseId = lastCase.get(s)!;
      } else {
        const code = categories.next();
        const category = model.policy.category(code)!;
        const severity = Math.min(category.maxSeverity, r < 0.6 ? 1 : r < 0.9 ? 2 : 3 + Math.floor(r * 3));
        const decided = category.polarity === 'negative' && Math.random() < 0.12;
        c = { causeKind: decided ? 'case' : 'event', code, severity };
        if (decided) {
          caseId = randomIds.next('case');
          lastCase.set(s, caseId);
        }
      }
      const cause =
        c.causeKind === 'case' ? caseId! : randomIds.next(c.causeKind === 'event' ? 'evt' : 'snc');
      const contribution = { ...c, id: ids.next(), causeId: cause, day: Math.floor(time / day) };
      const subject = population.subjects[s]!;
      const occurredAt = new Date(time).toISOString();
      insert.run(
        contribution.id,
        subject,
        c.causeKind,
        cause,
        caseId,
        c.code,
        c.severity,
        contribution.day,
        occurredAt,
      );
      const { dimension, decayed } = model.contributionOn(contribution, today);
      totals[s * dimensions.length + dimensions.indexOf(dimension)]! += decayed;
    }
  });
  for (let from = 0; from < population.events; from += fillBatch) {
    batch(from, Math.min(population.events, from + fillBatch));
  }
  return totals;
}

/** Subject index of each contribution, subject by subject (shuffled after). */
function ownerOfEach(counts: Uint32Array, events: number): Int32Array {
  const owners = new Int32Array(events);
  let k = 0;
  for (let s = 0; s < counts.length; s++) {
    owners.fill(s, k, k + counts[s]!);
    k += counts[s]!;
  }
  return owners;
}

/** The subjects in enrolment order (random as to their ids), each with its score row. */
function insertSubjects(
  sqlite: Database.Database,
  model: CreditModel,
  options: { subjects: string[]; totals: Float64Array; now: Date; scores: Scores },
): void {
  const insertSubject = sqlite.prepare(
    `insert into subjects (id, kind, dedup_hash, wrapped_key, created_at, updated_at, created_by)
     values (?, ?, ?, ?, ?, ?, 'bench')`,
  );
  const insertScore = sqlite.prepare(
    `insert into credit_scores (subject_id, kind, score, grade, dimensions, as_of_day, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  // A wrapped data key is 60 bytes (nonce, key, tag); nothing reads it here.
  const wrappedKey = randomBytes(60);
  const at = options.now.toISOString();
  const today = Math.floor(options.now.getTime() / day);
  const names = model.dimensionNames;
  const order = shuffled(Int32Array.from(options.subjects, (_, i) => i));
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const s = order[k]!;
      const id = options.subjects[s]!;
      const r = Math.random();
      const kind = subjectKinds[r < 0.97 ? 0 : r < 0.995 ? 1 : 2];
      insertSubject.run(id, kind, randomBytes(32).toString('base64url'), wrappedKey, at, at);
      const dimensions: Record<string, number> = {};
      for (const [d, name] of names.entries()) {
        dimensions[name] = options.scores === 'current' ? options.totals[s * names.length + d]! : 0;
      }
      const { score, grade } = model.scoreOf(dimensions);
      insertScore.run(id, kind, score, grade, JSON.stringify(dimensions), today, at);
    }
  });
  for (let from = 0; from < order.length; from += fillBatch) {
    batch(from, Math.min(order.length, from + fillBatch));
  }
}

/** 16 base32 characters of 80 bits, `newId`'s shape. */
function base32Of(high: number, low: number): string {
  let out = '';
  for (let shift = 35; shift >= 0; shift -= 5) out += crockford[Math.floor(high / 2 ** shift) % 32];
  for (let shift = 35; shift >= 0; shift -= 5) out += crockford[Math.floor(low / 2 ** shift) % 32];
  return out.toLowerCase();
}

/**
 * Random contribution ids that come out in ascending order (one uniformly placed in each of `count`
 * equal slices of the id space): the primary key index then grows at its end, as an index built
 * by sorting would, instead of taking random inserts that would make filling 10 M rows take many
 * minutes. Nothing measured reads contributions by id.
 */
class SortedIds {
  readonly #slice: number;
  #k = 0;

  constructor(count: number) {
    this.#slice = 2 ** 40 / count;
  }

  next(): string {
    const high = Math.floor((this.#k++ + Math.random()) * this.#slice);
    return `crd_${base32Of(high, Math.floor(Math.random() * 2 ** 40))}`;
  }
}

/** Fisher–Yates, in place. */
function shuffled(items: Int32Array): Int32Array {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

class RandomIds {
  next(prefix: string): string {
    return `${prefix}_${base32Of(Math.floor(Math.random() * 2 ** 40), Math.floor(Math.random() * 2 ** 40))}`;
  }
}

export class WeightedPick {
  readonly #names: string[];
  readonly #cumulative: number[];

  constructor(shares: [string, number][]) {
    let sum = 0;
    this.#names = shares.map(([name]) => name);
    this.#cumulative = shares.map(([, share]) => {
      sum += share;
      return sum;
    });
  }

  next(): string {
    const r = Math.random() * this.#cumulative.at(-1)!;
    const i = this.#cumulative.findIndex((c) => r < c);
    return this.#names[i === -1 ? this.#names.length - 1 : i]!;
  }
}

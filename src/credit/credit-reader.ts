import type { Contribution, CreditReport, Distribution, RankingEntry, ScoreChange } from '../api/credit.ts';
import type { Db } from '../db/database.ts';
import { type Keyset, keysetPage } from '../db/keyset.ts';
import type { Page } from '../util/cursor.ts';
import { dayMs } from '../util/time.ts';
import type { CreditService } from './credit-service.ts';
import type { CreditModel } from './model.ts';

const points = (milli: number) => Math.round(milli) / 1000;
const dateOf = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

/** The ranking: highest score first, ties by subject id. */
const highestFirst: Keyset<{ score: number; subject_id: string }> = [
  { column: 'score', type: 'number', order: 'desc' },
  { column: 'subject_id', type: 'string', order: 'asc' },
];

/** A subject's score history: latest first, ties by id. */
const latestFirst: Keyset<{ at: string; id: string }> = [
  { column: 'at', type: 'string', order: 'desc' },
  { column: 'id', type: 'string', order: 'desc' },
];

/** Reads scores: one subject's with rank and explanation, rankings and distributions. */
export class CreditReader {
  readonly #db: Db;
  readonly #credit: CreditService;
  readonly #model: CreditModel;

  constructor(options: { db: Db; credit: CreditService }) {
    this.#db = options.db;
    this.#credit = options.credit;
    this.#model = options.credit.model;
  }

  async read(subject: string): Promise<CreditReport> {
    const state = await this.#credit.state(subject);
    const [standing, contributions, history] = await Promise.all([
      this.standing(state.kind, state.score),
      this.#credit.contributions(subject),
      this.history(subject, { limit: 200 }),
    ]);
    const policy = this.#model.policy.document;
    const views = contributions.map((c) => this.#view(c, state.asOfDay));
    return {
      subject,
      kind: state.kind,
      score: state.score,
      grade: state.grade,
      asOf: dateOf(state.asOfDay),
      ...standing,
      dimensions: Object.entries(policy.credit.dimensions).map(([name, d]) => ({
        name,
        description: d.description,
        points: points(state.dimensions[name] ?? 0),
      })),
      explanation: {
        base: policy.credit.base,
        contributions: views,
        toRaise: {
          decaying: views
            .filter((v) => v.currentPoints < 0 && v.expiresOn !== undefined)
            .sort((a, b) => a.expiresOn!.localeCompare(b.expiresOn!))
            .map((v) => ({
              id: v.id,
              dimension: v.dimension,
              currentPoints: v.currentPoints,
              expiresOn: v.expiresOn!,
            })),
          positiveConduct: Object.entries(policy.categories)
            .filter(([, c]) => c.polarity === 'positive')
            .map(([category, c]) => ({
              category,
              description: c.description,
              dimension: c.dimension,
              pointsBySeverity: c.points,
            })),
        },
      },
      history: history.items,
    };
  }

  /** Every change of a subject's score, newest first, paged: `read` shows the latest 200 only. */
  async history(subject: string, page: { cursor?: string; limit: number }): Promise<Page<ScoreChange>> {
    const query = this.#db
      .selectFrom('credit_history')
      .select(['at', 'score', 'grade', 'cause', 'id'])
      .where('subject_id', '=', subject);
    return keysetPage(query, page, latestFirst, (rows) =>
      rows.map(({ at, score, grade, cause }) => ({ at, score, grade, cause })),
    );
  }

  #view(c: Awaited<ReturnType<CreditService['contributions']>>[number], day: number): Contribution {
    const { dimension, milli, decayed } = this.#model.contributionOn(c, day);
    const expiry = this.#model.expiryDay(c);
    return {
      id: c.id,
      cause:
        c.causeKind === 'sanction'
          ? { kind: c.causeKind, id: c.causeId, sanction: c.code }
          : { kind: c.causeKind, id: c.causeId, category: c.code, severity: c.severity ?? undefined },
      caseId: c.caseId,
      dimension,
      occurredAt: c.occurredAt,
      points: points(milli),
      currentPoints: points(decayed),
      expiresOn: expiry === undefined ? undefined : dateOf(expiry),
      recordedAt: c.recordedAt,
    };
  }

  /** Rank and percentile among subjects of one kind, from the histogram (never the subjects). */
  async standing(kind: string, score: number): Promise<{ rank: number; percentile: number; of: number }> {
    const rows = await this.#db
      .selectFrom('credit_histogram')
      .select(['score', 'count'])
      .where('kind', '=', kind)
      .where('count', '>', 0)
      .execute();
    let above = 0;
    let below = 0;
    let equal = 0;
    for (const row of rows) {
      if (row.score > score) above += row.count;
      else if (row.score < score) below += row.count;
      else equal += row.count;
    }
    const of = above + below + equal;
    return {
      rank: above + 1,
      percentile: of === 0 ? 0 : Math.round((1000 * (below + equal / 2)) / of) / 10,
      of,
    };
  }

  /** Subjects of one kind, highest score first (ties by id), keyset paged. */
  async ranking(options: { kind: string; cursor?: string; limit: number }): Promise<Page<RankingEntry>> {
    const query = this.#db
      .selectFrom('credit_scores')
      .select(['subject_id', 'score', 'grade'])
      .where('kind', '=', options.kind);
    return keysetPage(query, options, highestFirst, async (page) => {
      const ranks = new Map<number, number>();
      for (const row of page) {
        if (!ranks.has(row.score)) ranks.set(row.score, (await this.standing(options.kind, row.score)).rank);
      }
      return page.map((r) => ({
        subject: r.subject_id,
        score: r.score,
        grade: r.grade,
        rank: ranks.get(r.score)!,
      }));
    });
  }

  /** Counts per grade and per score band, of one kind or of all. */
  async distribution(kind?: string): Promise<Distribution> {
    let query = this.#db.selectFrom('credit_histogram').select(['score', 'count']).where('count', '>', 0);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    const rows = await query.execute();
    const { grades, bandWidth, floor, ceiling } = this.#model.policy.document.credit;
    const byGrade = new Map(grades.map((g) => [g.grade, 0]));
    const byBand = new Map<number, number>();
    let total = 0;
    for (const { score, count } of rows) {
      const grade = this.#model.policy.gradeOf(score);
      byGrade.set(grade, (byGrade.get(grade) ?? 0) + count);
      const band = this.#model.bandOf(score);
      byBand.set(band, (byBand.get(band) ?? 0) + count);
      total += count;
    }
    return {
      kind: kind ?? 'all',
      total,
      grades: grades.map((g) => ({
        grade: g.grade,
        min: g.min,
        max: g.max,
        count: byGrade.get(g.grade) ?? 0,
      })),
      // Every band from floor to ceiling, the empty ones too: a histogram's axis is the score's.
      bands: Array.from({ length: this.#model.bandOf(ceiling) + 1 }, (_, band) => ({
        min: floor + band * bandWidth,
        max: floor + (band + 1) * bandWidth - 1,
        count: byBand.get(band) ?? 0,
      })),
    };
  }
}

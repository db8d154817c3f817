import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CreditContributionsTable } from '../db/tables/credit-contributions.ts';
import type { Tx } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import type { EligibilityService } from '../enforcement/eligibility-service.ts';
import { ContributionNotFoundError, SubjectNotFoundError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { newSortableId } from '../util/ids.ts';
import { type CreditStatements, creditStatements } from './credit-statements.ts';
import { type Contribution, type CreditModel, dayOf } from './model.ts';

/** A cause to add to a subject's record, inside the transaction of the cause itself. */
export interface NewContribution {
  causeKind: Contribution['causeKind'];
  causeId: string;
  caseId?: string;
  code: string;
  severity?: number;
  occurredAt: string;
}

export interface ScoreState {
  subject: string;
  kind: string;
  score: number;
  grade: string;
  dimensions: Record<string, number>;
  asOfDay: number;
}

/**
 * Keeps every subject's score current: each cause updates it in the transaction of the cause,
 * incrementally when the score was evaluated today, from the subject's contributions otherwise.
 * Also keeps the per-kind score histogram that ranks and percentiles are read from.
 */
export class CreditService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #model: CreditModel;
  readonly #now: () => Date;
  /** Told, in the transaction, of each subject whose grade changes. */
  readonly #eligibility: Pick<EligibilityService, 'changed'>;
  readonly #statements: CreditStatements;
  /** The grades some action is denied at. */
  readonly #deniedGrades: ReadonlySet<string>;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    model: CreditModel;
    now: () => Date;
    eligibility: Pick<EligibilityService, 'changed'>;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#model = options.model;
    this.#now = options.now;
    this.#eligibility = options.eligibility;
    this.#statements = creditStatements(options.db);
    this.#deniedGrades = new Set(
      Object.values(options.model.policy.document.actions).flatMap((a) => a.deniedAtGrades),
    );
  }

  get model(): CreditModel {
    return this.#model;
  }

  /** A newly enrolled subject starts at the base score. */
  async open(trx: Tx, subject: { id: string; kind: string }): Promise<void> {
    const now = this.#now();
    const dimensions = this.#model.emptyDimensions();
    const { score, grade } = this.#model.scoreOf(dimensions);
    await trx
      .insertInto('credit_scores')
      .values({
        subject_id: subject.id,
        kind: subject.kind,
        score,
        grade,
        dimensions: JSON.stringify(dimensions),
        as_of_day: dayOf(now),
        updated_at: now.toISOString(),
      })
      .execute();
    await this.#count(trx, subject.kind, score, +1);
    await this.#history(trx, subject.id, score, grade, 'enrolled');
  }

  /**
   * Ends a subject's credit record on its erasure: its score leaves the histogram, and its score,
   * contributions and history rows are deleted.
   */
  async close(trx: Tx, subject: string): Promise<void> {
    const state = await trx
      .selectFrom('credit_scores')
      .select(['kind', 'score'])
      .where('subject_id', '=', subject)
      .executeTakeFirst();
    if (state !== undefined) await this.#count(trx, state.kind, Number(state.score), -1);
    await trx.deleteFrom('credit_contributions').where('subject_id', '=', subject).execute();
    await trx.deleteFrom('credit_history').where('subject_id', '=', subject).execute();
    await trx.deleteFrom('credit_scores').where('subject_id', '=', subject).execute();
  }

  /** Adds contributions to a subject's record and updates its score. */
  async record(trx: Tx, subject: string, added: NewContribution[], cause: string): Promise<ScoreState> {
    const today = dayOf(this.#now());
    const recordedAt = this.#now().toISOString();
    const rows = added.map((c) => ({
      // Sortable, so that the primary key grows at its end instead of taking random inserts.
      id: newSortableId('crd'),
      subject_id: subject,
      cause_kind: c.causeKind,
      cause_id: c.causeId,
      case_id: c.caseId ?? null,
      code: c.code,
      severity: c.severity ?? null,
      day: dayOf(c.occurredAt),
      occurred_at: c.occurredAt,
      status: 'active' as const,
    }));
    for (const row of rows) {
      await this.#statements.insertContribution(trx, [
        row.id,
        row.subject_id,
        row.cause_kind,
        row.cause_id,
        row.case_id,
        row.code,
        row.severity,
        row.day,
        row.occurred_at,
        row.status,
        recordedAt,
      ]);
    }
    const before = await this.state(subject, trx);
    let dimensions: Record<string, number>;
    if (before.asOfDay === today) {
      dimensions = { ...before.dimensions };
      for (const row of rows) {
        const { dimension, decayed } = this.#model.contributionOn(toContribution(row), today);
        dimensions[dimension] = (dimensions[dimension] ?? 0) + decayed;
      }
    } else {
      dimensions = this.#model.evaluate(await this.contributions(subject, trx), today).dimensions;
    }
    return this.#save(trx, before, dimensions, today, cause);
  }

  /**
   * Holds the subject's score row until the transaction ends (a write that changes nothing): of
   * two transactions that read a subject's causes before adding one, the second reads after the
   * first has committed. On SQLite the first write of a transaction holds the whole store anyway.
   */
  async hold(trx: Tx, subject: string): Promise<void> {
    await trx
      .updateTable('credit_scores')
      .set((eb) => ({ as_of_day: eb.ref('as_of_day') }))
      .where('subject_id', '=', subject)
      .execute();
  }

  /** Removes a case's contributions (its own and its sanctions'): the decision was overturned. */
  async removeCase(trx: Tx, subject: string, caseId: string, cause: string): Promise<ScoreState> {
    await trx
      .updateTable('credit_contributions')
      .set({ status: 'removed' })
      .where('case_id', '=', caseId)
      .where('status', '=', 'active')
      .execute();
    return this.reevaluate(trx, subject, cause);
  }

  /** Removes one cause's contributions (a sanction overturned on appeal) and rescores. */
  async removeCause(
    trx: Tx,
    subject: string,
    removed: { causeKind: Contribution['causeKind']; causeId: string },
    cause: string,
  ): Promise<ScoreState> {
    await trx
      .updateTable('credit_contributions')
      .set({ status: 'removed' })
      .where('subject_id', '=', subject)
      .where('cause_kind', '=', removed.causeKind)
      .where('cause_id', '=', removed.causeId)
      .where('status', '=', 'active')
      .execute();
    return this.reevaluate(trx, subject, cause);
  }

  /** Evaluates a subject from its contributions as of today (decay, a policy change). */
  async reevaluate(trx: Tx, subject: string, cause: string): Promise<ScoreState> {
    const today = dayOf(this.#now());
    const before = await this.state(subject, trx);
    const { dimensions } = this.#model.evaluate(await this.contributions(subject, trx), today);
    return this.#save(trx, before, dimensions, today, cause);
  }

  /**
   * The scheduled pass: re-evaluates, in batches, every score last evaluated before today, so
   * that decay and expiring contributions reach it; eligibility is told of each grade that
   * changes. Returns the subjects whose grade changed.
   */
  async refreshStale(batch = 500): Promise<{ evaluated: number; gradeChanged: string[] }> {
    const today = dayOf(this.#now());
    let evaluated = 0;
    const gradeChanged: string[] = [];
    for (;;) {
      const stale = await this.#db
        .selectFrom('credit_scores')
        .select(['subject_id', 'grade'])
        .where('as_of_day', '<', today)
        .limit(batch)
        .execute();
      if (stale.length === 0) return { evaluated, gradeChanged };
      await inTransaction(this.#db, async (trx) => {
        for (const { subject_id, grade } of stale) {
          const after = await this.reevaluate(trx, subject_id, 'decay');
          if (after.grade !== grade) gradeChanged.push(subject_id);
        }
      });
      evaluated += stale.length;
    }
  }

  async state(subject: string, db: Db = this.#db): Promise<ScoreState> {
    const [row] = (await this.#statements.state(db, [subject])).rows;
    if (row === undefined) throw new SubjectNotFoundError(subject);
    return {
      subject,
      kind: row.kind,
      score: row.score,
      grade: row.grade,
      dimensions: JSON.parse(row.dimensions) as Record<string, number>,
      asOfDay: row.as_of_day,
    };
  }

  /** One contribution as recorded, removed or not. */
  async contribution(id: string, db: Db = this.#db): Promise<Selectable<CreditContributionsTable>> {
    const row = await db
      .selectFrom('credit_contributions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) throw new ContributionNotFoundError(id);
    return row;
  }

  async contributions(
    subject: string,
    db: Db = this.#db,
  ): Promise<(Contribution & { occurredAt: string; caseId?: string; recordedAt?: string })[]> {
    const rows = await db
      .selectFrom('credit_contributions')
      .selectAll()
      .where('subject_id', '=', subject)
      .where('status', '=', 'active')
      .orderBy('day')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      ...toContribution(row),
      occurredAt: row.occurred_at,
      caseId: row.case_id ?? undefined,
      recordedAt: row.recorded_at ?? undefined,
    }));
  }

  async #save(
    trx: Tx,
    before: ScoreState,
    dimensions: Record<string, number>,
    day: number,
    cause: string,
  ): Promise<ScoreState> {
    const { score, grade } = this.#model.scoreOf(dimensions);
    const at = this.#now().toISOString();
    const json = JSON.stringify(dimensions);
    if (day === before.asOfDay)
      await this.#statements.saveSameDay(trx, [score, grade, json, at, before.subject]);
    else await this.#statements.save(trx, [score, grade, json, day, at, before.subject]);
    if (score !== before.score) {
      await this.#ledger.append(trx, {
        kind: 'credit.changed',
        actor: 'system',
        refs: { subject: before.subject, score, grade, cause },
      });
      await this.#count(trx, before.kind, before.score, -1);
      await this.#count(trx, before.kind, score, +1);
      await this.#history(trx, before.subject, score, grade, cause);
    }
    // At a grade some action is denied at, the grade actions outside the worlds read (without the
    // points of negative events counted directly) may change while this one does not, even while
    // the score stays at the floor: every change of its contributions is told.
    const reviewedMayChange = this.#deniedGrades.has(grade) && json !== JSON.stringify(before.dimensions);
    if (grade !== before.grade || reviewedMayChange) {
      await this.#eligibility.changed(trx, [before.subject]);
    }
    return { ...before, score, grade, dimensions, asOfDay: day };
  }

  async #count(trx: Tx, kind: string, score: number, delta: 1 | -1): Promise<void> {
    await this.#statements.count(trx, [kind, score, delta]);
  }

  async #history(trx: Tx, subject: string, score: number, grade: string, cause: string): Promise<void> {
    const at = this.#now().toISOString();
    await this.#statements.history(trx, [newSortableId('crh'), subject, at, score, grade, cause]);
  }
}

export function toContribution(row: {
  id: string;
  cause_kind: Contribution['causeKind'];
  cause_id: string;
  code: string;
  severity: number | null;
  day: number;
}): Contribution {
  return {
    id: row.id,
    causeKind: row.cause_kind,
    causeId: row.cause_id,
    code: row.code,
    severity: row.severity,
    day: row.day,
  };
}

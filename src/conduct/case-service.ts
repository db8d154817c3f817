import { type Selectable, sql } from 'kysely';
import type { CaseDetail, CaseReport, CaseSummary } from '../api/cases.ts';
import type { ReportAgainstMe } from '../api/me.ts';
import type { Db } from '../db/database.ts';
import { type Keyset, keysetPage } from '../db/keyset.ts';
import type { CaseStatus, CasesTable } from '../db/tables/cases.ts';
import type { Tx } from '../db/transaction.ts';
import {
  AlreadyAppealedError,
  CaseNotFoundError,
  CaseNotOpenError,
  NoPendingAppealError,
} from '../errors.ts';
import type { SubjectSealer, SubjectService } from '../identity/subject-service.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';

export interface CaseFilter {
  status?: CaseStatus;
  category?: string;
  world?: string;
  subject?: string;
}

/** The moderators' queue: oldest first. */
const queueOrder: Keyset<{ opened_at: string; id: string }> = [
  { column: 'opened_at', type: 'string', order: 'asc' },
  { column: 'id', type: 'string', order: 'asc' },
];

/** Whom and what a case is about: one open case per avatar and category. */
export interface CaseTarget {
  world: string;
  handle: string;
  subject: string;
  category: string;
  /** A platform's conduct event, not a person's report, opens it. */
  automated?: boolean;
}

/**
 * Cases: the only writer of their rows (opened by reports, decided, appealed, closed), inside the
 * caller's transaction; and their reads, the moderators' queue (oldest first) and each case with
 * its reports. A change of status is conditional on the status read before, so of two moderators
 * acting at once, one wins and the other gets a conflict.
 */
export class CaseService {
  readonly #db: Db;
  readonly #subjects: SubjectService;

  constructor(options: { db: Db; subjects: SubjectService }) {
    this.#db = options.db;
    this.#subjects = options.subjects;
  }

  async list(filter: CaseFilter & { cursor?: string; limit: number }): Promise<Page<CaseSummary>> {
    let query = this.#db.selectFrom('cases').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.category !== undefined) query = query.where('category', '=', filter.category);
    if (filter.world !== undefined) query = query.where('world_id', '=', filter.world);
    if (filter.subject !== undefined) query = query.where('subject_id', '=', filter.subject);
    return keysetPage(query, filter, queueOrder, (rows) => rows.map(toSummary));
  }

  /** A case with its reports and the texts of its decision and appeal, decrypted. */
  async get(id: string, db: Db = this.#db): Promise<CaseDetail> {
    const row = await this.row(id, db);
    const sealer = await this.#subjects.sealer(row.subject_id, db);
    const reports = await db
      .selectFrom('reports')
      .selectAll()
      .where('case_id', '=', id)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    return {
      ...toSummary(row),
      reports: reports.map((r) => ({
        id: r.id,
        ...(sealer.open(`report|${r.id}`, r.sealed) as Omit<CaseReport, 'id' | 'occurredAt' | 'receivedAt'>),
        occurredAt: r.occurred_at,
        receivedAt: r.received_at,
      })),
      rationale: openText(sealer, `case|${id}|rationale`, row.sealed_rationale),
      appealReason: openText(sealer, `case|${id}|appeal`, row.sealed_appeal),
      appealRationale: openText(sealer, `case|${id}|appeal-rationale`, row.sealed_appeal_rationale),
    };
  }

  /**
   * What a subject sees of the cases about it: each report's category, time, description and
   * evidence (never who reported it), the decision's rationale, and the appeal's texts.
   */
  async listForSubject(subject: string): Promise<(CaseSummary & { reports: ReportAgainstMe[] })[]> {
    const rows = await this.#db
      .selectFrom('cases')
      .selectAll()
      .where('subject_id', '=', subject)
      .orderBy('opened_at', 'desc')
      .execute();
    if (rows.length === 0) return [];
    const sealer = await this.#subjects.sealer(subject);
    const reports = await this.#db
      .selectFrom('reports')
      .selectAll()
      .where(
        'case_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      ...toSummary(row),
      reports: reports
        .filter((r) => r.case_id === row.id)
        .map((r) => {
          const { description, evidence } = sealer.open(`report|${r.id}`, r.sealed) as CaseReport;
          return {
            category: row.category,
            description,
            evidence,
            occurredAt: r.occurred_at,
            receivedAt: r.received_at,
          };
        }),
      rationale: openText(sealer, `case|${row.id}|rationale`, row.sealed_rationale),
      appealReason: openText(sealer, `case|${row.id}|appeal`, row.sealed_appeal),
      appealRationale: openText(sealer, `case|${row.id}|appeal-rationale`, row.sealed_appeal_rationale),
    }));
  }

  async row(id: string, db: Db = this.#db): Promise<Selectable<CasesTable>> {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new CaseNotFoundError(id);
    return row;
  }

  /** The open case for this avatar and category, opened now if there is none; its id. */
  async openFor(tx: Tx, target: CaseTarget, now: string): Promise<string> {
    const open = await tx
      .selectFrom('cases')
      .select('id')
      .where('world_id', '=', target.world)
      .where('handle', '=', target.handle)
      .where('category', '=', target.category)
      // A literal, not a parameter: SQLite can use the partial index (status = 'open') only then.
      .where('status', '=', sql.lit('open'))
      .executeTakeFirst();
    if (open !== undefined) return open.id;
    const id = newId('case');
    await tx
      .insertInto('cases')
      .values({
        id,
        world_id: target.world,
        handle: target.handle,
        subject_id: target.subject,
        category: target.category,
        status: 'open',
        report_count: 0,
        opened_at: now,
        updated_at: now,
        outcome: null,
        severity: null,
        sealed_rationale: null,
        decided_at: null,
        decided_by: null,
        appeal_status: null,
        sealed_appeal: null,
        appealed_at: null,
        sealed_appeal_rationale: null,
        appeal_decided_at: null,
        appeal_decided_by: null,
        automated: target.automated === true ? 1 : 0,
      })
      .execute();
    return id;
  }

  /** One more report counted in the case. */
  async countReport(tx: Tx, id: string, now: string): Promise<void> {
    await tx
      .updateTable('cases')
      .set((eb) => ({ report_count: eb('report_count', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }

  /** Records the decision of an open case. */
  async recordDecision(
    tx: Tx,
    row: Selectable<CasesTable>,
    decision: { outcome: 'upheld' | 'dismissed'; severity?: number; rationale: string },
    change: { actor: string; at: string },
  ): Promise<void> {
    const sealer = await this.#subjects.sealer(row.subject_id, tx);
    const decided = await tx
      .updateTable('cases')
      .set({
        status: 'decided',
        outcome: decision.outcome,
        severity: decision.severity ?? null,
        sealed_rationale: sealer.seal(`case|${row.id}|rationale`, decision.rationale),
        decided_at: change.at,
        decided_by: change.actor,
        updated_at: change.at,
      })
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    // Conditional on the status read before: of two moderators deciding at once, one wins.
    if (Number(decided.numUpdatedRows) !== 1) throw new CaseNotOpenError(row.id, 'decided');
  }

  /** Records the subject's appeal of a decided case; a case is appealed once. */
  async recordAppeal(tx: Tx, row: Selectable<CasesTable>, reason: string, at: string): Promise<void> {
    const sealer = await this.#subjects.sealer(row.subject_id, tx);
    const appealed = await tx
      .updateTable('cases')
      .set({
        status: 'appealed',
        appeal_status: 'pending',
        sealed_appeal: sealer.seal(`case|${row.id}|appeal`, reason),
        appealed_at: at,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .where('appeal_status', 'is', null)
      .executeTakeFirst();
    if (Number(appealed.numUpdatedRows) !== 1) throw new AlreadyAppealedError(row.id);
  }

  /** Records the decision of a pending appeal, which closes the case. */
  async recordAppealDecision(
    tx: Tx,
    row: Selectable<CasesTable>,
    decision: { outcome: 'upheld' | 'overturned'; rationale: string },
    change: { actor: string; at: string },
  ): Promise<void> {
    const sealer = await this.#subjects.sealer(row.subject_id, tx);
    const closed = await tx
      .updateTable('cases')
      .set({
        status: 'closed',
        appeal_status: decision.outcome,
        sealed_appeal_rationale: sealer.seal(`case|${row.id}|appeal-rationale`, decision.rationale),
        appeal_decided_at: change.at,
        appeal_decided_by: change.actor,
        updated_at: change.at,
      })
      .where('id', '=', row.id)
      .where('appeal_status', '=', 'pending')
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) !== 1) throw new NoPendingAppealError(row.id);
  }
}

function openText(sealer: SubjectSealer, context: string, sealed: Buffer | null): string | undefined {
  return sealed === null ? undefined : (sealer.open(context, sealed) as string);
}

export function toSummary(row: Selectable<CasesTable>): CaseSummary {
  return {
    id: row.id,
    world: row.world_id,
    handle: row.handle,
    subject: row.subject_id,
    category: row.category,
    status: row.status,
    reportCount: row.report_count,
    automated: row.automated === 1,
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    decision:
      row.outcome === null
        ? undefined
        : {
            outcome: row.outcome,
            severity: row.severity ?? undefined,
            decidedAt: row.decided_at!,
            decidedBy: row.decided_by!,
          },
    appeal:
      row.appeal_status === null
        ? undefined
        : {
            status: row.appeal_status,
            appealedAt: row.appealed_at!,
            decidedAt: row.appeal_decided_at ?? undefined,
            decidedBy: row.appeal_decided_by ?? undefined,
          },
  };
}

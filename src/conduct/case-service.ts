import type { Selectable } from 'kysely';
import type { CaseDetail, CaseReport, CaseSummary } from '../api/cases.ts';
import type { Db } from '../db/database.ts';
import type { CaseStatus, CasesTable } from '../db/tables/cases.ts';
import { CaseNotFoundError } from '../errors.ts';
import type { SubjectSealer, SubjectService } from '../identity/subject-service.ts';
import { decodeCursor, type Page, toPage } from '../util/cursor.ts';

export interface CaseFilter {
  status?: CaseStatus;
  category?: string;
  world?: string;
  subject?: string;
}

/** Reads cases: the moderators' queue (oldest first) and each case with its reports. */
export class CaseService {
  readonly #db: Db;
  readonly #subjects: SubjectService;

  constructor(options: { db: Db; subjects: SubjectService }) {
    this.#db = options.db;
    this.#subjects = options.subjects;
  }

  async list(filter: CaseFilter & { cursor?: string; limit: number }): Promise<Page<CaseSummary>> {
    let query = this.#db
      .selectFrom('cases')
      .selectAll()
      .orderBy('opened_at')
      .orderBy('id')
      .limit(filter.limit + 1);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.category !== undefined) query = query.where('category', '=', filter.category);
    if (filter.world !== undefined) query = query.where('world_id', '=', filter.world);
    if (filter.subject !== undefined) query = query.where('subject_id', '=', filter.subject);
    if (filter.cursor !== undefined) {
      const [openedAt, id] = decodeCursor(filter.cursor, ['string', 'string']);
      query = query.where((eb) => eb(eb.refTuple('opened_at', 'id'), '>', eb.tuple(openedAt, id)));
    }
    const rows = await query.execute();
    const items = rows.slice(0, filter.limit).map(toSummary);
    return toPage(items, rows.length > filter.limit, (last) => [last.openedAt, last.id]);
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

  /** What a subject sees of the cases about it: decisions and appeals, not who reported it. */
  async listForSubject(subject: string): Promise<Omit<CaseDetail, 'reports'>[]> {
    const rows = await this.#db
      .selectFrom('cases')
      .selectAll()
      .where('subject_id', '=', subject)
      .orderBy('opened_at', 'desc')
      .execute();
    if (rows.length === 0) return [];
    const sealer = await this.#subjects.sealer(subject);
    return rows.map((row) => ({
      ...toSummary(row),
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
          },
  };
}

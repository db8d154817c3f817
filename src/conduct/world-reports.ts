import type { WorldReport } from '../api/reports.ts';
import type { Db } from '../db/database.ts';
import { keysetPage } from '../db/keyset.ts';
import type { Page } from '../util/cursor.ts';

/** Newest first, ties by id: the index reports_by_world (world_id, received_at, id) serves it. */
const latestFirst = [
  { column: 'received_at', type: 'string', order: 'desc' },
  { column: 'id', type: 'string', order: 'desc' },
] as const;

/** A world's reports with where their cases stand; nothing sealed is opened. */
export class WorldReportReader {
  readonly #db: Db;

  constructor(options: { db: Db }) {
    this.#db = options.db;
  }

  page(world: string, page: { cursor?: string; limit: number }): Promise<Page<WorldReport>> {
    // A derived table, so that the keyset's columns are unambiguous in its WHERE; both engines
    // flatten it into the join.
    const joined = this.#db
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select([
        'reports.id as id',
        'reports.received_at as received_at',
        'reports.occurred_at as occurred_at',
        'cases.id as case_id',
        'cases.handle as handle',
        'cases.category as category',
        'cases.status as status',
        'cases.report_count as report_count',
        'cases.outcome as outcome',
        'cases.decided_at as decided_at',
        'cases.appeal_status as appeal_status',
      ])
      .where('reports.world_id', '=', world);
    const query = this.#db.selectFrom(joined.as('r')).selectAll();
    return keysetPage(query, page, latestFirst, (rows) =>
      rows.map((row) => ({
        id: row.id,
        handle: row.handle,
        category: row.category,
        occurredAt: row.occurred_at,
        receivedAt: row.received_at,
        case: {
          id: row.case_id,
          status: row.status,
          reportCount: row.report_count,
          outcome: row.outcome ?? undefined,
          decidedAt: row.decided_at ?? undefined,
          appeal: row.appeal_status ?? undefined,
        },
      })),
    );
  }
}

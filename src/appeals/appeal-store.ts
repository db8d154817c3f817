import type { Selectable } from 'kysely';
import type { Appeal, AppealKind, AppealQueue } from '../api/appeals.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { type Keyset, keysetPage } from '../db/keyset.ts';
import type { AppealsTable } from '../db/tables/appeals.ts';
import type { Tx } from '../db/transaction.ts';
import { AlreadyAppealedError, AppealNotFoundError, NoPendingAppealError } from '../errors.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';

export type AppealRow = Selectable<AppealsTable>;

/** The queue's order, served by the index appeals_pending_by_queue (queue, filed_at, id). */
const filedFirst: Keyset<{ filed_at: string; id: string }> = [
  { column: 'filed_at', type: 'string', order: 'asc' },
  { column: 'id', type: 'string', order: 'asc' },
];

/**
 * The appeals table: its only writer, inside the caller's transaction, and its reads. The case
 * routes (`POST /v1/cases/{id}/appeal`) write here too, so that a case is appealed once whichever
 * way it was, and its appeal shows in the same queue.
 */
export class AppealStore {
  readonly #db: Db;
  readonly #subjects: SubjectService;

  constructor(options: { db: Db; subjects: SubjectService }) {
    this.#db = options.db;
    this.#subjects = options.subjects;
  }

  async find(kind: AppealKind, target: string, db: Db = this.#db): Promise<AppealRow | undefined> {
    return db
      .selectFrom('appeals')
      .selectAll()
      .where('kind', '=', kind)
      .where('target_id', '=', target)
      .executeTakeFirst();
  }

  async row(id: string, db: Db = this.#db): Promise<AppealRow> {
    const row = await db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new AppealNotFoundError(id);
    return row;
  }

  /** Files an appeal; the unique (kind, target) makes a second one a conflict. */
  async insert(
    tx: Tx,
    input: {
      kind: AppealKind;
      target: string;
      subject: string;
      queue: AppealQueue;
      reason: string;
      decisionBy: string;
      actor: string;
      at: string;
    },
  ): Promise<string> {
    if ((await this.find(input.kind, input.target, tx)) !== undefined) {
      throw new AlreadyAppealedError(input.target);
    }
    const id = newId('apl');
    const sealer = await this.#subjects.sealer(input.subject, tx);
    // Two identical appeals at once both find none; the unique index lets one in.
    await tx
      .insertInto('appeals')
      .values({
        id,
        kind: input.kind,
        target_id: input.target,
        subject_id: input.subject,
        queue: input.queue,
        status: 'pending',
        sealed_reason: sealer.seal(`appeal|${id}|reason`, input.reason),
        filed_at: input.at,
        filed_by: input.actor,
        decision_by: input.decisionBy,
        sealed_rationale: null,
        decided_at: null,
        decided_by: null,
      })
      .execute()
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? new AlreadyAppealedError(input.target) : error;
      });
    return id;
  }

  /** Records the outcome of a pending appeal; of two deciders at once, one wins. */
  async decide(
    tx: Tx,
    row: AppealRow,
    decision: { outcome: 'upheld' | 'overturned'; rationale: string },
    change: { actor: string; at: string },
  ): Promise<void> {
    const sealer = await this.#subjects.sealer(row.subject_id, tx);
    const decided = await tx
      .updateTable('appeals')
      .set({
        status: decision.outcome,
        sealed_rationale: sealer.seal(`appeal|${row.id}|rationale`, decision.rationale),
        decided_at: change.at,
        decided_by: change.actor,
      })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(decided.numUpdatedRows) !== 1) throw new NoPendingAppealError(row.target_id, row.kind);
  }

  /** Pending appeals of one queue, oldest first, a page at a time (a malformed cursor is a 400). */
  async pending(queue: AppealQueue, page: { cursor?: string; limit: number }): Promise<Page<Appeal>> {
    const query = this.#db
      .selectFrom('appeals')
      .selectAll()
      .where('queue', '=', queue)
      .where('status', '=', 'pending');
    return keysetPage(query, page, filedFirst, (rows) => Promise.all(rows.map((row) => this.view(row))));
  }

  /** Every appeal of a subject, newest first. */
  async ofSubject(subject: string): Promise<Appeal[]> {
    const rows = await this.#db
      .selectFrom('appeals')
      .selectAll()
      .where('subject_id', '=', subject)
      .orderBy('filed_at', 'desc')
      .execute();
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async view(row: AppealRow, db: Db = this.#db): Promise<Appeal> {
    const sealer = await this.#subjects.listSealer(row.subject_id, db);
    return {
      id: row.id,
      kind: row.kind,
      target: row.target_id,
      subject: row.subject_id,
      queue: row.queue,
      status: row.status,
      reason: sealer.open(`appeal|${row.id}|reason`, row.sealed_reason) as string,
      filedAt: row.filed_at,
      rationale:
        row.sealed_rationale === null
          ? undefined
          : (sealer.open(`appeal|${row.id}|rationale`, row.sealed_rationale) as string),
      decidedAt: row.decided_at ?? undefined,
      // The subject sees its appeals too: who decided a disclosure (an authority's grant, an oversight
      // principal) is not for it to learn; moderators' ids are, as on its cases.
      ...(row.kind !== 'disclosure' && {
        decisionBy: row.decision_by,
        decidedBy: row.decided_by ?? undefined,
      }),
    };
  }
}

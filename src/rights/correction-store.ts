import type { Selectable } from 'kysely';
import type { CorrectionStatus, CorrectionSummary, MyCorrection } from '../api/corrections.ts';
import type { Db } from '../db/database.ts';
import { keysetPage, newestFirst, oldestFirst } from '../db/keyset.ts';
import type { CorrectionsTable } from '../db/tables/corrections.ts';
import type { Tx } from '../db/transaction.ts';
import { CorrectionClosedError, CorrectionNotFoundError } from '../errors.ts';
import type { SubjectSealer, SubjectService } from '../identity/subject-service.ts';
import type { Page } from '../util/cursor.ts';

export type CorrectionRow = Selectable<CorrectionsTable>;

/** What a correction holds that is personal data, opened with the subject's data key. */
export interface OpenedCorrection {
  value: unknown;
  reason: string;
  refusalReason?: string;
}

/**
 * The corrections table: its only writer (inside the caller's transaction) and its reads. The
 * value, the reason and the refusal are sealed under the subject's data key, each bound to the
 * correction's id and its part, so that one cannot be passed off as another.
 */
export class CorrectionStore {
  readonly #db: Db;
  readonly #subjects: SubjectService;

  constructor(options: { db: Db; subjects: SubjectService }) {
    this.#db = options.db;
    this.#subjects = options.subjects;
  }

  async row(id: string, db: Db = this.#db): Promise<CorrectionRow> {
    const row = await db.selectFrom('corrections').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new CorrectionNotFoundError(id);
    return row;
  }

  /** The pending correction of one field of one subject, if any. */
  pendingOf(subject: string, field: string, db: Db = this.#db): Promise<CorrectionRow | undefined> {
    return db
      .selectFrom('corrections')
      .selectAll()
      .where('subject_id', '=', subject)
      .where('field', '=', field)
      .where('status', '=', 'pending')
      .executeTakeFirst();
  }

  async insert(
    tx: Tx,
    row: Omit<CorrectionRow, 'sealed_value' | 'sealed_reason' | 'sealed_refusal' | 'status'>,
    opened: { value: unknown; reason: string },
  ): Promise<void> {
    const sealer = await this.#subjects.sealer(row.subject_id, tx);
    await tx
      .insertInto('corrections')
      .values({
        ...row,
        status: 'pending',
        sealed_value: sealer.seal(part(row.id, 'value'), opened.value),
        sealed_reason: sealer.seal(part(row.id, 'reason'), opened.reason),
        sealed_refusal: null,
      })
      .execute();
  }

  /**
   * Closes a pending correction; one that is not pending any more (another registrar decided it
   * first) is a CorrectionClosedError. The update claims it, so that two decisions cannot both win.
   */
  async close(
    tx: Tx,
    row: CorrectionRow,
    decision: {
      status: Exclude<CorrectionStatus, 'pending'>;
      by: string;
      at: string;
      version?: number;
      refusal?: string;
    },
  ): Promise<void> {
    const sealer =
      decision.refusal === undefined ? undefined : await this.#subjects.sealer(row.subject_id, tx);
    const result = await tx
      .updateTable('corrections')
      .set({
        status: decision.status,
        decided_at: decision.at,
        decided_by: decision.by,
        accepted_version: decision.version ?? null,
        sealed_refusal: sealer?.seal(part(row.id, 'refusal'), decision.refusal) ?? null,
      })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new CorrectionClosedError(row.id, (await this.row(row.id, tx)).status);
    }
  }

  /** Throws unless `row` is pending. */
  assertPending(row: CorrectionRow): void {
    if (row.status !== 'pending') throw new CorrectionClosedError(row.id, row.status);
  }

  async open(row: CorrectionRow, sealer?: SubjectSealer, db: Db = this.#db): Promise<OpenedCorrection> {
    const key = sealer ?? (await this.#subjects.sealer(row.subject_id, db));
    return {
      value: key.open(part(row.id, 'value'), row.sealed_value),
      reason: key.open(part(row.id, 'reason'), row.sealed_reason) as string,
      ...(row.sealed_refusal === null
        ? {}
        : { refusalReason: key.open(part(row.id, 'refusal'), row.sealed_refusal) as string }),
    };
  }

  /** A subject's own corrections, newest first, opened for it. */
  async ofSubject(subject: string, page: { cursor?: string; limit: number }): Promise<Page<MyCorrection>> {
    const query = this.#db.selectFrom('corrections').selectAll().where('subject_id', '=', subject);
    return keysetPage(query, page, newestFirst, async (rows) => {
      if (rows.length === 0) return [];
      const sealer = await this.#subjects.sealer(subject);
      return Promise.all(rows.map(async (row) => this.mine(row, await this.open(row, sealer))));
    });
  }

  /** The registrars' list of one status, oldest first: ids and fields, never a value. */
  byStatus(
    status: CorrectionStatus,
    page: { cursor?: string; limit: number },
  ): Promise<Page<CorrectionSummary>> {
    const query = this.#db.selectFrom('corrections').selectAll().where('status', '=', status);
    return keysetPage(query, page, oldestFirst, (rows) => rows.map(summary));
  }

  mine(row: CorrectionRow, opened: OpenedCorrection): MyCorrection {
    const { subject: _subject, baseVersion: _base, ...rest } = summary(row);
    return { ...rest, value: opened.value, reason: opened.reason, ...refusal(opened) };
  }
}

/** A correction without its personal data. */
export function summary(row: CorrectionRow): CorrectionSummary {
  return {
    id: row.id,
    subject: row.subject_id,
    field: row.field,
    status: row.status,
    createdAt: row.created_at,
    baseVersion: row.base_version,
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
    ...(row.decided_by === null ? {} : { decidedBy: row.decided_by }),
    ...(row.accepted_version === null ? {} : { version: row.accepted_version }),
  };
}

function refusal(opened: OpenedCorrection): { refusalReason?: string } {
  return opened.refusalReason === undefined ? {} : { refusalReason: opened.refusalReason };
}

function part(id: string, name: 'value' | 'reason' | 'refusal'): string {
  return `correction|${id}|${name}`;
}

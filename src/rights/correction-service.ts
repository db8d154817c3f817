import type { ProfileReadService } from '../access/profile-reads.ts';
import type {
  CorrectionReview,
  CorrectionStatus,
  CorrectionSummary,
  MyCorrection,
  NewCorrection,
} from '../api/corrections.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { CorrectionPendingError, CorrectionUnchangedError } from '../errors.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Principal } from '../principals/roles.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import { correctableField, correctionPatch } from './correctable-fields.ts';
import { type CorrectionRow, type CorrectionStore, summary } from './correction-store.ts';

/**
 * The person's right to have its attributes corrected. The person proposes a new value of one
 * field with a reason; a registrar reads it (a logged read of the profile, purpose `correction`)
 * and accepts it, which adds the attribute version exactly as a registrar's own change would, or
 * refuses it with a reason the person is shown. Each step is a log entry holding the ids, the
 * field and a salted digest of the value and reasons, never them.
 */
export class CorrectionService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #subjects: SubjectService;
  readonly #profileReads: ProfileReadService;
  readonly #store: CorrectionStore;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    subjects: SubjectService;
    profileReads: ProfileReadService;
    store: CorrectionStore;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#subjects = options.subjects;
    this.#profileReads = options.profileReads;
    this.#store = options.store;
    this.#now = options.now;
  }

  /**
   * Proposes a correction of the subject's own field. The value is checked as the registrar's
   * change would be; one equal to the recorded value, or a second one while one of the same
   * field is pending, is refused before anything is written.
   */
  async propose(subject: string, input: NewCorrection, actor: string): Promise<MyCorrection> {
    const profile = await this.#subjects.get(subject);
    const field = correctableField(profile.kind, input.field);
    // Not checked for a duplicate identity here: that would tell the person another is enrolled
    // with the proposed document. The registrar's acceptance checks it.
    if (this.#subjects.checkChange(profile, correctionPatch(field, input.value)).length === 0) {
      throw new CorrectionUnchangedError(field.path);
    }
    const id = newId('cor');
    try {
      await inTransaction(this.#db, async (trx) => {
        await this.#refusePending(subject, field.path, trx);
        await this.#store.insert(
          trx,
          {
            id,
            subject_id: subject,
            field: field.path,
            base_version: profile.versions[field.group],
            created_at: this.#now().toISOString(),
            created_by: actor,
            accepted_version: null,
            decided_at: null,
            decided_by: null,
          },
          { value: input.value, reason: input.reason },
        );
        await this.#ledger.append(trx, {
          kind: 'correction.proposed',
          actor,
          refs: { correction: id, subject, field: field.path },
          details: { value: input.value, reason: input.reason },
        });
      });
    } catch (error) {
      // Two proposals of one field at once: the partial unique index decided.
      if (isUniqueViolation(error)) await this.#refusePending(subject, field.path, this.#db);
      throw error;
    }
    const row = await this.#store.row(id);
    return this.#store.mine(row, await this.#store.open(row));
  }

  /** The subject's own corrections, newest first, with their outcome. */
  ofSubject(subject: string, page: { cursor?: string; limit: number }): Promise<Page<MyCorrection>> {
    return this.#store.ofSubject(subject, page);
  }

  /** The registrars' queue (or the decided ones), oldest first, without values. */
  queue(
    status: CorrectionStatus,
    page: { cursor?: string; limit: number },
  ): Promise<Page<CorrectionSummary>> {
    return this.#store.byStatus(status, page);
  }

  /**
   * A correction with the field's current and proposed value, for the registrar who decides it:
   * a read of the person's profile, logged (`subject.read`, purpose `correction`) and shown to
   * the person like any other staff read, before any value is answered.
   */
  async review(id: string, reader: Principal): Promise<CorrectionReview> {
    const row = await this.#store.row(id);
    const profile = await this.#profileReads.read(reader, row.subject_id, { purpose: 'correction' });
    const field = correctableField(profile.kind, row.field);
    const opened = await this.#store.open(row);
    return {
      ...summary(row),
      currentVersion: profile.versions[field.group],
      current: profile[field.group][field.key] ?? null,
      proposed: opened.value,
      reason: opened.reason,
      ...(opened.refusalReason === undefined ? {} : { refusalReason: opened.refusalReason }),
    };
  }

  /**
   * Accepts a pending correction: the attribute version (through the registrar's own code path,
   * its `subject.attributes_changed` entry included), the correction's status and its
   * `correction.accepted` entry, in one transaction.
   */
  async accept(id: string, registrar: string): Promise<CorrectionSummary> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#store.row(id, trx);
      this.#store.assertPending(row);
      const opened = await this.#store.open(row, undefined, trx);
      const profile = await this.#subjects.get(row.subject_id, {}, trx);
      const field = correctableField(profile.kind, row.field);
      const added = await this.#subjects.updateAttributesWithin(
        trx,
        row.subject_id,
        correctionPatch(field, opened.value),
        registrar,
      );
      // The field was changed to this value since it was proposed: refuse it instead.
      if (added.length === 0) throw new CorrectionUnchangedError(row.field);
      const at = this.#now().toISOString();
      await this.#store.close(trx, row, {
        status: 'accepted',
        by: registrar,
        at,
        version: added[0]!.version,
      });
      await this.#log(trx, row, 'correction.accepted', registrar);
    });
    return summary(await this.#store.row(id));
  }

  /** Refuses a pending correction with a reason the person is shown. */
  async refuse(id: string, reason: string, registrar: string): Promise<CorrectionSummary> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#store.row(id, trx);
      this.#store.assertPending(row);
      const at = this.#now().toISOString();
      await this.#store.close(trx, row, { status: 'refused', by: registrar, at, refusal: reason });
      await this.#log(trx, row, 'correction.refused', registrar, { reason });
    });
    return summary(await this.#store.row(id));
  }

  // The person only in refs.subject: the log's commitments are made from there.
  async #log(trx: Tx, row: CorrectionRow, kind: string, actor: string, details?: unknown): Promise<void> {
    await this.#ledger.append(trx, {
      kind,
      actor,
      refs: { correction: row.id, subject: row.subject_id, field: row.field },
      ...(details === undefined ? {} : { details }),
    });
  }

  async #refusePending(subject: string, field: string, db: Db): Promise<void> {
    const pending = await this.#store.pendingOf(subject, field, db);
    if (pending !== undefined) throw new CorrectionPendingError(field, pending.id);
  }
}

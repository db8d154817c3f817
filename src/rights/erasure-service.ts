import type { Logger } from 'pino';
import type { ErasureHoldNow, ErasureStatus } from '../api/rights.ts';
import type { CreditService } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { ErasureReason, ErasuresTable } from '../db/tables/erasures.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import type { EligibilityService } from '../enforcement/eligibility-service.ts';
import { ErasureBlockedError } from '../errors.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { PrincipalService } from '../principals/principal-service.ts';
import { dayMs, isoAfter } from '../util/time.ts';
import { erasureHolds, latest } from './erasure-holds.ts';
import type { PreservationService } from './preservation-service.ts';
import { shredSubject } from './shred.ts';

/** Erasure hooks of other domains (credentials revoked, say), run in the erasure's transaction. */
export type ErasureHook = (tx: Tx, subject: string) => Promise<void>;

/** How far a pass of due erasures got: erased, held by something, and due ones left for later. */
export interface ErasurePass {
  erased: number;
  held: number;
  remaining: number;
}

const passBatch = 100;

/**
 * Erasure under the retention policy: a subject asks (or a registrar closes it: a death, a
 * duplicate), the erasure is scheduled after the policy's retention for its kind, and a scheduled
 * pass erases it once it is due and nothing holds it (an open case, an active sanction as the
 * policy says; a preservation order always). Erasing destroys the subject's data key and every
 * link to the person (shred.ts); its digital ID then answers 410 `erased`.
 */
export class ErasureService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #subjects: SubjectService;
  readonly #principals: PrincipalService;
  readonly #preservations: PreservationService;
  readonly #credit: CreditService;
  readonly #eligibility: EligibilityService;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #hooks: ErasureHook[] = [];
  readonly #afterPass: (() => Promise<void> | void) | undefined;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    subjects: SubjectService;
    principals: PrincipalService;
    preservations: PreservationService;
    credit: CreditService;
    eligibility: EligibilityService;
    logger: Logger;
    now: () => Date;
    /** Run after a pass that erased someone: SQLite folds its WAL in, so no old page lingers there. */
    afterPass?: () => Promise<void> | void;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#subjects = options.subjects;
    this.#principals = options.principals;
    this.#preservations = options.preservations;
    this.#credit = options.credit;
    this.#eligibility = options.eligibility;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#afterPass = options.afterPass;
  }

  /** Runs `hook` inside every erasure's transaction, before the links to the person are shredded. */
  onErase(hook: ErasureHook): void {
    this.#hooks.push(hook);
  }

  /**
   * The subject's own request: scheduled after `retention.<kind>.afterRequestDays`, or an
   * ErasureBlockedError (409, nothing written) while something holds it. Asking again answers
   * with the erasure already scheduled.
   */
  async request(subject: string, actor: string): Promise<ErasureStatus> {
    const kind = await this.#subjects.kindOf(subject);
    const existing = await this.#row(subject);
    if (existing !== undefined) return this.status(subject);
    const holds = await this.holds(subject);
    if (holds.length > 0) throw new ErasureBlockedError(holds[0]!.reason, latest(holds));
    const days = this.#policy.retention(kind).afterRequestDays;
    await this.#schedule(subject, 'request', days, actor);
    return this.status(subject);
  }

  /**
   * A registrar's closure (a death, a duplicate enrolment): scheduled after
   * `retention.<kind>.afterClosureDays`; what holds an erasure holds it when it comes due.
   */
  async close(subject: string, reason: 'death' | 'duplicate', actor: string): Promise<ErasureStatus> {
    const kind = await this.#subjects.kindOf(subject);
    const existing = await this.#row(subject);
    const days = this.#policy.retention(kind).afterClosureDays;
    if (existing === undefined) await this.#schedule(subject, reason, days, actor);
    else {
      // A closure after a request: the earlier of the two dates holds, and the closure's reason.
      const dueAt = isoAfter(this.#now(), days * dayMs);
      if (dueAt < existing.due_at) {
        await inTransaction(this.#db, async (tx) => {
          await tx
            .updateTable('erasures')
            .set({ due_at: dueAt, reason })
            .where('subject_id', '=', subject)
            .execute();
          await this.#ledger.append(tx, {
            kind: 'erasure.requested',
            actor,
            refs: { subject, reason, dueAt },
          });
        });
      }
    }
    return this.status(subject);
  }

  /** The subject's erasure, if any, and what would hold one now. */
  async status(subject: string): Promise<ErasureStatus> {
    const kind = (
      await this.#db.selectFrom('subjects').select('kind').where('id', '=', subject).executeTakeFirstOrThrow()
    ).kind;
    const row = await this.#row(subject);
    const afterRequestDays = this.#policy.retention(kind).afterRequestDays;
    if (row === undefined) return { status: 'none', holds: await this.holds(subject), afterRequestDays };
    return {
      status: row.status,
      reason: row.reason,
      requestedAt: row.requested_at,
      dueAt: row.due_at,
      ...(row.erased_at === null ? {} : { erasedAt: row.erased_at }),
      holds: row.status === 'erased' ? [] : await this.holds(subject),
      afterRequestDays,
    };
  }

  /** What holds the subject's erasure now, each with when it ends on its own (null: no set end). */
  holds(subject: string, db: Db = this.#db): Promise<ErasureHoldNow[]> {
    return erasureHolds(db, subject, {
      blockers: this.#policy.erasureBlockers,
      preservations: this.#preservations,
      now: this.#now(),
    });
  }

  /**
   * Erases the subjects whose erasure is due and that nothing holds, in batches, each in its own
   * transaction; logs one progress line per batch (counts only, never an id).
   */
  async eraseDue(onProgress?: (done: number, total: number) => void): Promise<ErasurePass> {
    const at = this.#now().toISOString();
    const due = await this.#db
      .selectFrom('erasures')
      .select('subject_id')
      .where('status', '=', 'scheduled')
      .where('due_at', '<=', at)
      .orderBy('due_at')
      .execute();
    const pass: ErasurePass = { erased: 0, held: 0, remaining: due.length };
    if (due.length === 0) return pass;
    for (const [i, { subject_id }] of due.entries()) {
      if (await this.#eraseOne(subject_id)) pass.erased++;
      else pass.held++;
      pass.remaining--;
      onProgress?.(i + 1, due.length);
      if ((i + 1) % passBatch === 0 || pass.remaining === 0) {
        this.#logger.info(
          { erased: pass.erased, held: pass.held, remaining: pass.remaining },
          'erasure pass',
        );
      }
    }
    if (pass.erased > 0) await this.#afterPass?.();
    return pass;
  }

  /** Erases one due subject unless something holds it (then logs `erasure.blocked`, once per reason). */
  async #eraseOne(subject: string): Promise<boolean> {
    return inTransaction(this.#db, async (tx) => {
      const row = await tx
        .selectFrom('erasures')
        .selectAll()
        .where('subject_id', '=', subject)
        .executeTakeFirst();
      // Erased by another instance meanwhile.
      if (row === undefined || row.status !== 'scheduled') return false;
      const holds = await this.holds(subject, tx);
      if (holds.length > 0) {
        const reasons = holds.map((h) => h.reason).join(',');
        if (row.blocked_by !== reasons) {
          await tx
            .updateTable('erasures')
            .set({ blocked_by: reasons })
            .where('subject_id', '=', subject)
            .execute();
          await this.#ledger.append(tx, {
            kind: 'erasure.blocked',
            actor: 'system',
            refs: { subject, reason: reasons, earliestDate: latest(holds) },
          });
        }
        return false;
      }
      await this.#erase(tx, row);
      return true;
    });
  }

  async #erase(tx: Tx, row: ErasuresTable): Promise<void> {
    const subject = row.subject_id;
    const at = this.#now().toISOString();
    await this.#ledger.append(tx, {
      kind: 'subject.erased',
      actor: 'system',
      refs: { subject, reason: row.reason },
    });
    await this.#credit.close(tx, subject);
    const own = await tx
      .selectFrom('principals')
      .select('id')
      .where('subject_id', '=', subject)
      .where('role', '=', 'subject')
      .where('revoked_at', 'is', null)
      .execute();
    for (const { id } of own) await this.#principals.revokeWithin(tx, id, { actor: 'system' });
    // Before the shredding: what the hooks log about the person is opened by rows it deletes.
    for (const hook of this.#hooks) await hook(tx, subject);
    await shredSubject(tx, subject, at);
    await tx
      .updateTable('erasures')
      .set({ status: 'erased', erased_at: at, blocked_by: null })
      .where('subject_id', '=', subject)
      .execute();
    await this.#eligibility.changed(tx, [subject]);
  }

  async #schedule(subject: string, reason: ErasureReason, days: number, actor: string): Promise<void> {
    const now = this.#now();
    const dueAt = isoAfter(now, days * dayMs);
    try {
      await this.#insert(subject, { reason, now, dueAt, actor });
    } catch (error) {
      // Asked twice at once: the first one is the erasure, and both answer with it.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  async #insert(
    subject: string,
    r: { reason: ErasureReason; now: Date; dueAt: string; actor: string },
  ): Promise<void> {
    const { reason, now, dueAt, actor } = r;
    await inTransaction(this.#db, async (tx) => {
      await tx
        .insertInto('erasures')
        .values({
          subject_id: subject,
          reason,
          requested_at: now.toISOString(),
          requested_by: actor,
          due_at: dueAt,
          status: 'scheduled',
          blocked_by: null,
          erased_at: null,
        })
        .execute();
      await this.#ledger.append(tx, { kind: 'erasure.requested', actor, refs: { subject, reason, dueAt } });
    });
  }

  #row(subject: string): Promise<ErasuresTable | undefined> {
    return this.#db.selectFrom('erasures').selectAll().where('subject_id', '=', subject).executeTakeFirst();
  }
}

import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { DisclosureDecidedError } from '../errors.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { Keyring } from '../keyring.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { basisExpired, DisclosureRefusedError } from './disclosure-policy.ts';
import type { DisclosureDeps, DisclosureService } from './disclosure-service.ts';
import { type DisclosureDetail, type DisclosureRow, detail, disclosureSealer } from './disclosure-view.ts';
import { logReviewOverdue, overdueUnlogged } from './overdue-reviews.ts';

export type Verdict = 'approve' | 'refuse';

/**
 * The independent check on disclosures: oversight decides pending requests and reviews emergency
 * ones after the fact. Each decision is one conditional update, so of two at once one wins.
 */
export class OversightService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  /** What opens and seals a disclosure's texts. */
  readonly #sealing: { subjects: SubjectService; keyring: Keyring };
  readonly #now: () => Date;
  readonly #disclosures: DisclosureService;

  constructor(deps: DisclosureDeps & { disclosures: DisclosureService }) {
    this.#db = deps.db;
    this.#ledger = deps.ledger;
    this.#sealing = { subjects: deps.subjects, keyring: deps.keyring };
    this.#now = deps.now;
    this.#disclosures = deps.disclosures;
  }

  /**
   * Decides a pending request, or reviews an emergency one already granted: approving grants (or
   * keeps) access, refusing ends it from then on. Deciding twice is a 409.
   */
  async decide(id: string, verdict: Verdict, reason: string, actor: string): Promise<DisclosureDetail> {
    await inTransaction(this.#db, async (trx) => {
      const row = await this.#disclosures.row(id, trx);
      const now = this.#now();
      const review = row.status === 'granted' && row.review_due_at !== null && row.reviewed_at === null;
      if (row.status !== 'pending' && !review) {
        const reviewed = row.reviewed_at === null ? '' : ' and reviewed';
        throw new DisclosureDecidedError(id, `is already ${row.status}${reviewed}`);
      }
      // A warrant that lapsed while the request waited cannot be approved; it can be refused.
      if (verdict === 'approve' && !review && basisExpired(row.basis_expires_at, now)) {
        throw new DisclosureRefusedError(
          'legal_basis_expired',
          'the legal basis has expired: refuse the request',
        );
      }
      await this.#apply(trx, { row, verdict, reason, actor, review, at: now.toISOString() });
    });
    const row = await this.#disclosures.row(id);
    return detail(row, await disclosureSealer(this.#sealing, row), this.#now());
  }

  /**
   * The scheduled pass: logs `disclosure.review_overdue` once for each emergency disclosure whose
   * review deadline has passed unreviewed. Returns how many it logged.
   */
  async logOverdue(): Promise<number> {
    const batch = 100;
    let logged = 0;
    for (;;) {
      const at = this.#now().toISOString();
      const due = await overdueUnlogged(this.#db, at, batch);
      for (const row of due) {
        if (await inTransaction(this.#db, (trx) => logReviewOverdue(trx, this.#ledger, row, at))) logged++;
      }
      if (due.length < batch) return logged;
    }
  }

  async #apply(
    trx: Tx,
    d: { row: DisclosureRow; verdict: Verdict; reason: string; actor: string; review: boolean; at: string },
  ): Promise<void> {
    const { row, verdict, actor, review, at } = d;
    // A late review is the first to see the deadline passed if no pass or read saw it before.
    if (review && at >= row.review_due_at!) await logReviewOverdue(trx, this.#ledger, row, at);
    const sealer = await disclosureSealer(this.#sealing, row, trx);
    const status = verdict === 'approve' ? 'granted' : 'refused';
    const sealedReason = sealer.seal('oversight-reason', d.reason);
    // Conditional on the state read before: a concurrent decision leaves this one nothing to update.
    const updated = review
      ? await trx
          .updateTable('disclosures')
          .set({ status, reviewed_at: at, reviewed_by: actor, sealed_oversight_reason: sealedReason })
          .where('id', '=', row.id)
          .where('status', '=', 'granted')
          .where('reviewed_at', 'is', null)
          .executeTakeFirst()
      : await trx
          .updateTable('disclosures')
          .set({ status, decided_at: at, decided_by: actor, sealed_oversight_reason: sealedReason })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new DisclosureDecidedError(row.id, 'was decided meanwhile');
    }
    await this.#ledger.append(trx, {
      kind: verdict === 'approve' ? 'disclosure.approved' : 'disclosure.denied',
      actor,
      refs: {
        disclosure: row.id,
        subject: row.subject_id,
        review,
        late: review ? at > row.review_due_at! : undefined,
      },
      details: { reason: d.reason },
    });
  }
}

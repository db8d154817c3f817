import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';

/** What logging an overdue review needs of a disclosure row. */
export interface ReviewDeadline {
  id: string;
  subject_id: string | null;
}

/**
 * Logs `disclosure.review_overdue` for an emergency disclosure whose review deadline has passed at
 * `at` unreviewed, unless it was logged before; true when this call logged it. Whoever sees the
 * deadline passed first logs it (the scheduled pass, a refused read, a late review): the
 * conditional update makes it once, across transactions and instances.
 */
export async function logReviewOverdue(
  trx: Tx,
  ledger: LedgerService,
  row: ReviewDeadline,
  at: string,
): Promise<boolean> {
  const marked = await trx
    .updateTable('disclosures')
    .set({ overdue_logged_at: at })
    .where('id', '=', row.id)
    .where('overdue_logged_at', 'is', null)
    .where('reviewed_at', 'is', null)
    .where('review_due_at', '<=', at)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) return false;
  await ledger.append(trx, {
    kind: 'disclosure.review_overdue',
    actor: 'system',
    refs: { disclosure: row.id, subject: row.subject_id },
  });
  return true;
}

/** Emergency disclosures past their deadline at `at`, unreviewed and not yet logged as overdue. */
export async function overdueUnlogged(db: Db, at: string, limit: number): Promise<ReviewDeadline[]> {
  return (
    db
      .selectFrom('disclosures')
      .select(['id', 'subject_id'])
      // The conditions of the partial index disclosures_awaiting_review, spelled out so it serves.
      .where('reviewed_at', 'is', null)
      .where('review_due_at', 'is not', null)
      .where('review_due_at', '<=', at)
      .where('overdue_logged_at', 'is', null)
      .orderBy('review_due_at')
      .limit(limit)
      .execute()
  );
}

import type { Strike } from '../api/sanctions.ts';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';
import type { Policy } from '../policy/policy.ts';
import { newId } from '../util/ids.ts';
import { dayMs } from '../util/time.ts';

/** Strikes from the policy's ladder: each upheld decision adds some, each expires after a while. */
export class StrikeService {
  readonly #db: Db;
  readonly #policy: Policy;
  readonly #now: () => Date;

  constructor(options: { db: Db; policy: Policy; now: () => Date }) {
    this.#db = options.db;
    this.#policy = options.policy;
    this.#now = options.now;
  }

  /** The strikes a subject carries now: not lifted, not expired. */
  async activeTotal(subject: string, db: Db = this.#db): Promise<number> {
    const { total } = await db
      .selectFrom('strikes')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('strikes'), eb.lit(0)).as('total'))
      .where('subject_id', '=', subject)
      .where('status', '=', 'active')
      .where('expires_at', '>', this.#now().toISOString())
      .executeTakeFirstOrThrow();
    return Number(total);
  }

  /**
   * Adds the strikes a severity carries, inside the caller's transaction, and returns the totals
   * before and after so the caller can apply the ladder step crossed.
   */
  async add(trx: Tx, input: { subject: string; caseId: string; severity: number }) {
    const before = await this.activeTotal(input.subject, trx);
    const strikes = this.#policy.strikesFor(input.severity);
    if (strikes === 0) return { before, after: before };
    const now = this.#now();
    await trx
      .insertInto('strikes')
      .values({
        id: newId('stk'),
        subject_id: input.subject,
        case_id: input.caseId,
        strikes,
        severity: input.severity,
        issued_at: now.toISOString(),
        expires_at: new Date(
          now.getTime() + this.#policy.document.strikes.expiresAfterDays * dayMs,
        ).toISOString(),
        status: 'active',
      })
      .execute();
    return { before, after: before + strikes };
  }

  /** Lifts a case's strikes (its decision was overturned on appeal). */
  async liftForCase(trx: Tx, caseId: string): Promise<void> {
    await trx.updateTable('strikes').set({ status: 'lifted' }).where('case_id', '=', caseId).execute();
  }

  async list(subject: string, db: Db = this.#db): Promise<Strike[]> {
    const now = this.#now().toISOString();
    const rows = await db
      .selectFrom('strikes')
      .selectAll()
      .where('subject_id', '=', subject)
      .orderBy('issued_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      strikes: r.strikes,
      severity: r.severity,
      issuedAt: r.issued_at,
      expiresAt: r.expires_at,
      status: r.status === 'active' && r.expires_at <= now ? 'expired' : r.status,
    }));
  }
}

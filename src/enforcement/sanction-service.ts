import type { Selectable } from 'kysely';
import type { CaseService } from '../conduct/case-service.ts';
import type { CreditService } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import { keysetPage, newestFirst } from '../db/keyset.ts';
import type { SanctionStatus, SanctionsTable } from '../db/tables/sanctions.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { SanctionNotActiveError, SanctionNotFoundError, ValidationError } from '../errors.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Notifier } from '../notify/notifier.ts';
import { type Policy, type SanctionKind, worldScopedKinds } from '../policy/policy.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import { dayMs } from '../util/time.ts';
import type { EligibilityService } from './eligibility-service.ts';
import { type Sanction, toSanction, worldNotice } from './sanction-view.ts';

export type { Sanction } from './sanction-view.ts';

export interface NewSanction {
  subject: string;
  kind: SanctionKind;
  world?: string;
  actions?: string[];
  /** Defaults to now. */
  startsAt?: string;
  /** How many days it holds from its start; absent, until lifted. */
  days?: number;
  reason: string;
  /** The case it enforces: one about the same subject. */
  caseId?: string;
  source: 'decision' | 'ladder' | 'manual';
}

/** What another domain is told of a sanction imposed, in its transaction. */
export type ImposedHook = (
  tx: Tx,
  sanction: { id: string; subject: string; kind: string; startsAt: string },
) => Promise<void>;

/** Imposes, lifts, expires and lists sanctions; keeps the eligibility index and the worlds told. */
export class SanctionService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #policy: Policy;
  readonly #subjects: SubjectService;
  readonly #worlds: WorldService;
  readonly #eligibility: EligibilityService;
  readonly #notifier: Notifier;
  readonly #credit: CreditService;
  readonly #cases: CaseService;
  readonly #now: () => Date;
  readonly #imposedHooks: ImposedHook[] = [];

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    subjects: SubjectService;
    worlds: WorldService;
    eligibility: EligibilityService;
    notifier: Notifier;
    credit: CreditService;
    cases: CaseService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#policy = options.policy;
    this.#subjects = options.subjects;
    this.#worlds = options.worlds;
    this.#eligibility = options.eligibility;
    this.#notifier = options.notifier;
    this.#credit = options.credit;
    this.#cases = options.cases;
    this.#now = options.now;
  }

  /** Imposes a sanction on its own (a moderator's direct action). */
  async impose(input: NewSanction, actor: string): Promise<Sanction> {
    return inTransaction(this.#db, (trx) => this.imposeIn(trx, input, actor));
  }

  /**
   * Imposes a sanction inside the caller's transaction (a decision's): its row, its log entry,
   * its weight in the subject's score, eligibility told, the worlds notified.
   */
  async imposeIn(trx: Tx, input: NewSanction, actor: string): Promise<Sanction> {
    const now = this.#now().toISOString();
    await this.#checkShape(trx, input);
    const row = await this.#newRow(trx, input, actor, now);
    await trx.insertInto('sanctions').values(row).execute();
    await this.#ledger.append(trx, {
      kind: 'sanction.imposed',
      actor,
      refs: {
        sanction: row.id,
        subject: input.subject,
        kind: input.kind,
        world: row.world_id,
        case: row.case_id,
      },
      details: { reason: input.reason, actions: input.actions, startsAt: row.starts_at, endsAt: row.ends_at },
    });
    const cause = { causeKind: 'sanction' as const, causeId: row.id, caseId: input.caseId, code: input.kind };
    await this.#credit.record(
      trx,
      input.subject,
      [{ ...cause, occurredAt: row.starts_at }],
      `sanction:${row.id}`,
    );
    await this.#eligibility.changed(trx, [input.subject]);
    const notice = worldNotice(row);
    if (notice !== undefined) {
      await this.#notifier.enqueue(trx, {
        type: 'sanction.imposed',
        subject: input.subject,
        world: notice.world,
        occurredAt: now,
        data: { sanction: notice.sanction },
      });
    }
    for (const hook of this.#imposedHooks) {
      await hook(trx, { id: row.id, subject: input.subject, kind: input.kind, startsAt: row.starts_at });
    }
    return toSanction(row, input.reason, undefined);
  }

  /**
   * Runs `hook` in the transaction of each sanction imposed, after its own effects: for what
   * another domain must change with it (a ban revokes the subject's standing credentials).
   */
  afterImpose(hook: ImposedHook): void {
    this.#imposedHooks.push(hook);
  }

  // The row of a new sanction: it ends `days` after its start, its reason sealed for its subject.
  async #newRow(trx: Tx, input: NewSanction, actor: string, now: string) {
    const id = newId('snc');
    const startsAt = input.startsAt ?? now;
    const sealer = await this.#subjects.sealer(input.subject, trx);
    return {
      id,
      subject_id: input.subject,
      kind: input.kind,
      world_id: input.world ?? null,
      actions: input.actions === undefined ? null : JSON.stringify([...new Set(input.actions)]),
      starts_at: startsAt,
      ends_at:
        input.days === undefined ? null : new Date(Date.parse(startsAt) + input.days * dayMs).toISOString(),
      sealed_reason: sealer.seal(`sanction|${id}|reason`, input.reason),
      case_id: input.caseId ?? null,
      source: input.source,
      status: 'active' as const,
      created_at: now,
      created_by: actor,
      ended_at: null,
      ended_by: null,
      sealed_lift_reason: null,
    };
  }

  /** Lifts an active sanction; lifting one that is not active is a conflict. */
  async lift(id: string, reason: string, actor: string): Promise<Sanction> {
    return inTransaction(this.#db, async (trx) => {
      const row = await trx.selectFrom('sanctions').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new SanctionNotFoundError(id);
      if (row.status !== 'active') throw new SanctionNotActiveError(id, row.status);
      return this.#end(trx, row, { status: 'lifted', reason, actor });
    });
  }

  /** Lifts an active sanction inside the caller's transaction (an overturned appeal). */
  async liftWithin(trx: Tx, id: string, reason: string, actor: string): Promise<Sanction> {
    const row = await trx.selectFrom('sanctions').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new SanctionNotFoundError(id);
    if (row.status !== 'active') throw new SanctionNotActiveError(id, row.status);
    return this.#end(trx, row, { status: 'lifted', reason, actor });
  }

  /** Lifts, inside the caller's transaction, every active sanction a case imposed. */
  async liftForCase(trx: Tx, caseId: string, reason: string, actor: string): Promise<Sanction[]> {
    const rows = await trx
      .selectFrom('sanctions')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('status', '=', 'active')
      .execute();
    const lifted: Sanction[] = [];
    for (const row of rows) lifted.push(await this.#end(trx, row, { status: 'lifted', reason, actor }));
    return lifted;
  }

  /** Marks sanctions whose end has passed as expired and tells the worlds; returns how many. */
  async expireDue(): Promise<number> {
    const now = this.#now().toISOString();
    const due = await this.#db
      .selectFrom('sanctions')
      .selectAll()
      .where('status', '=', 'active')
      .where('ends_at', '<=', now)
      .limit(500)
      .execute();
    const expired: string[] = [];
    for (const row of due) {
      await inTransaction(this.#db, async (trx) => {
        // Another instance may have expired it first: only the one whose update lands tells the worlds.
        const claimed = await trx
          .updateTable('sanctions')
          .set({ status: 'expired' })
          .where('id', '=', row.id)
          .where('status', '=', 'active')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return;
        await this.#end(
          trx,
          { ...row, status: 'expired' },
          { status: 'expired', reason: undefined, actor: 'system' },
        );
        expired.push(row.subject_id);
      });
    }
    return expired.length;
  }

  /** Every sanction of a subject, newest first: a subject's own record leaves none out. */
  async allOf(subject: string): Promise<Sanction[]> {
    const all: Sanction[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list({ subject, cursor, limit: 500 });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return all;
  }

  async get(id: string): Promise<Sanction> {
    const row = await this.#db.selectFrom('sanctions').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new SanctionNotFoundError(id);
    return (await this.#open([row]))[0]!;
  }

  /** Sanctions, newest first, of one subject or of all; optionally only those in one status. */
  async list(options: {
    subject?: string;
    status?: SanctionStatus;
    caseId?: string;
    cursor?: string;
    limit: number;
    db?: Db;
  }): Promise<Page<Sanction>> {
    let query = (options.db ?? this.#db).selectFrom('sanctions').selectAll();
    if (options.subject !== undefined) query = query.where('subject_id', '=', options.subject);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    if (options.caseId !== undefined) query = query.where('case_id', '=', options.caseId);
    return keysetPage(query, options, newestFirst, (rows) => this.#open(rows, options.db));
  }

  async #end(
    trx: Tx,
    row: Selectable<SanctionsTable>,
    change: { status: 'lifted' | 'expired'; reason: string | undefined; actor: string },
  ): Promise<Sanction> {
    const now = this.#now().toISOString();
    const sealer = await this.#subjects.sealer(row.subject_id, trx);
    const sealedLift =
      change.reason === undefined ? null : sealer.seal(`sanction|${row.id}|lift`, change.reason);
    // Conditional on the status read before: of two lifts at once, one wins. (Expiry has already
    // claimed the row by setting 'expired', so it matches that.)
    const updated = await trx
      .updateTable('sanctions')
      .set({ status: change.status, ended_at: now, ended_by: change.actor, sealed_lift_reason: sealedLift })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new SanctionNotActiveError(row.id);
    }
    await this.#ledger.append(trx, {
      kind: change.status === 'lifted' ? 'sanction.lifted' : 'sanction.expired',
      actor: change.actor,
      refs: { sanction: row.id, subject: row.subject_id },
      details: change.reason === undefined ? undefined : { reason: change.reason },
    });
    const ended = { ...row, status: change.status, ended_at: now, ended_by: change.actor };
    await this.#eligibility.changed(trx, [row.subject_id]);
    const notice = worldNotice(ended);
    if (notice !== undefined) {
      await this.#notifier.enqueue(trx, {
        type: change.status === 'lifted' ? 'sanction.lifted' : 'sanction.expired',
        subject: row.subject_id,
        world: notice.world,
        occurredAt: now,
        data: { sanction: notice.sanction },
      });
    }
    return toSanction(
      ended,
      sealer.open(`sanction|${row.id}|reason`, row.sealed_reason) as string,
      change.reason,
    );
  }

  async #checkShape(trx: Tx, input: NewSanction): Promise<void> {
    if (
      input.caseId !== undefined &&
      (await this.#cases.row(input.caseId, trx)).subject_id !== input.subject
    ) {
      throw new ValidationError('caseId', 'is a case about another subject');
    }
    const scoped = worldScopedKinds.includes(input.kind);
    if (scoped && input.world === undefined)
      throw new ValidationError('world', `is required for a ${input.kind}`);
    if (!scoped && input.world !== undefined)
      throw new ValidationError('world', `does not apply to a ${input.kind}`);
    if (input.kind === 'restriction') {
      if (!input.actions?.length)
        throw new ValidationError('actions', 'a restriction names at least one action');
      const unknown = input.actions.find((a) => !this.#policy.isAction(a));
      if (unknown !== undefined)
        throw new ValidationError('actions', `"${unknown}" is not an action in the policy`);
    } else if (input.actions !== undefined) {
      throw new ValidationError('actions', `do not apply to a ${input.kind}`);
    }
    if (input.days !== undefined && !(Number.isInteger(input.days) && input.days >= 1)) {
      throw new ValidationError('days', 'is a whole number of days, at least 1');
    }
    if (input.world !== undefined) await this.#worlds.get(input.world, trx);
    await this.#subjects.assertExists(input.subject, trx);
  }

  async #open(rows: Selectable<SanctionsTable>[], db?: Db): Promise<Sanction[]> {
    const sealers = new Map<string, Awaited<ReturnType<SubjectService['sealer']>>>();
    const out: Sanction[] = [];
    for (const row of rows) {
      let sealer = sealers.get(row.subject_id);
      if (sealer === undefined) {
        sealer = await this.#subjects.listSealer(row.subject_id, db);
        sealers.set(row.subject_id, sealer);
      }
      const reason = sealer.open(`sanction|${row.id}|reason`, row.sealed_reason) as string;
      const lift =
        row.sealed_lift_reason === null
          ? undefined
          : (sealer.open(`sanction|${row.id}|lift`, row.sealed_lift_reason) as string);
      out.push(toSanction(row, reason, lift));
    }
    return out;
  }
}

import type { Selectable } from 'kysely';
import type { CreditService } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import type { SanctionStatus, SanctionsTable } from '../db/tables/sanctions.ts';
import { SanctionNotActiveError, SanctionNotFoundError, ValidationError } from '../errors.ts';
import type { SubjectService } from '../identity/subject-service.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Notifier } from '../notify/notifier.ts';
import { type Policy, type SanctionKind, worldScopedKinds } from '../policy/policy.ts';
import { decodeCursor, type Page, toPage } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import type { EligibilityService } from './eligibility-service.ts';
import { publicFields, type Sanction, toSanction } from './sanction-view.ts';

export type { Sanction } from './sanction-view.ts';

export interface NewSanction {
  subject: string;
  kind: SanctionKind;
  world?: string;
  actions?: string[];
  /** Defaults to now. */
  startsAt?: string;
  /** Absent: until lifted. */
  endsAt?: string;
  reason: string;
  caseId?: string;
  source: 'decision' | 'ladder' | 'manual';
}

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
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    ledger: LedgerService;
    policy: Policy;
    subjects: SubjectService;
    worlds: WorldService;
    eligibility: EligibilityService;
    notifier: Notifier;
    credit: CreditService;
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
    this.#now = options.now;
  }

  /** Imposes a sanction on its own (a moderator's direct action). */
  async impose(input: NewSanction, actor: string): Promise<Sanction> {
    const sanction = await this.#db.transaction().execute((trx) => this.imposeIn(trx, input, actor));
    await this.#eligibility.refresh([input.subject]);
    return sanction;
  }

  /**
   * Imposes a sanction inside the caller's transaction. The caller must refresh the eligibility
   * index for the subject once the transaction has committed.
   */
  async imposeIn(trx: Db, input: NewSanction, actor: string): Promise<Sanction> {
    const now = this.#now().toISOString();
    await this.#checkShape(trx, input, now);
    const sealer = await this.#subjects.sealer(input.subject, trx);
    const id = newId('snc');
    const row = {
      id,
      subject_id: input.subject,
      kind: input.kind,
      world_id: input.world ?? null,
      actions: input.actions === undefined ? null : JSON.stringify([...new Set(input.actions)]),
      starts_at: input.startsAt ?? now,
      ends_at: input.endsAt ?? null,
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
    await trx.insertInto('sanctions').values(row).execute();
    await this.#ledger.append(trx, {
      kind: 'sanction.imposed',
      actor,
      refs: {
        sanction: id,
        subject: input.subject,
        kind: input.kind,
        world: row.world_id,
        case: row.case_id,
      },
      details: { reason: input.reason, actions: input.actions, startsAt: row.starts_at, endsAt: row.ends_at },
    });
    await this.#credit.record(
      trx,
      input.subject,
      [
        {
          causeKind: 'sanction',
          causeId: id,
          caseId: input.caseId,
          code: input.kind,
          occurredAt: row.starts_at,
        },
      ],
      `sanction:${id}`,
    );
    await this.#eligibility.announce(trx, input.subject);
    await this.#notifier.enqueue(trx, {
      type: 'sanction.imposed',
      subject: input.subject,
      world: input.kind === 'ban' ? null : row.world_id,
      occurredAt: now,
      data: { sanction: publicFields(row) },
    });
    return toSanction(row, input.reason, undefined);
  }

  /** Lifts an active sanction; lifting one that is not active is a conflict. */
  async lift(id: string, reason: string, actor: string): Promise<Sanction> {
    const lifted = await this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sanctions').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new SanctionNotFoundError(id);
      if (row.status !== 'active') throw new SanctionNotActiveError(id, row.status);
      return this.#end(trx, row, { status: 'lifted', reason, actor });
    });
    await this.#eligibility.refresh([lifted.subject]);
    return lifted;
  }

  /** Lifts, inside the caller's transaction, every active sanction a case imposed. */
  async liftForCase(trx: Db, caseId: string, reason: string, actor: string): Promise<Sanction[]> {
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
      await this.#db.transaction().execute(async (trx) => {
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
    await this.#eligibility.refresh(expired);
    return expired.length;
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
    let query = (options.db ?? this.#db)
      .selectFrom('sanctions')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (options.subject !== undefined) query = query.where('subject_id', '=', options.subject);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    if (options.caseId !== undefined) query = query.where('case_id', '=', options.caseId);
    if (options.cursor !== undefined) {
      const [createdAt, id] = decodeCursor(options.cursor, ['string', 'string']);
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
        ]),
      );
    }
    const rows = await query.execute();
    const items = await this.#open(rows.slice(0, options.limit), options.db);
    return toPage(items, rows.length > options.limit, (last) => [last.createdAt, last.id]);
  }

  /** The sanctions not lifted, of every subject or of some: what the eligibility index holds. */
  async unlifted(subjects?: string[]) {
    let query = this.#db
      .selectFrom('sanctions')
      .select(['id', 'subject_id', 'kind', 'world_id', 'actions', 'starts_at', 'ends_at'])
      .where('status', '=', 'active');
    if (subjects !== undefined) query = query.where('subject_id', 'in', subjects);
    return query.execute();
  }

  async #end(
    trx: Db,
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
    await this.#eligibility.announce(trx, row.subject_id);
    await this.#notifier.enqueue(trx, {
      type: change.status === 'lifted' ? 'sanction.lifted' : 'sanction.expired',
      subject: row.subject_id,
      world: row.kind === 'ban' ? null : row.world_id,
      occurredAt: now,
      data: { sanction: publicFields(ended) },
    });
    return toSanction(
      ended,
      sealer.open(`sanction|${row.id}|reason`, row.sealed_reason) as string,
      change.reason,
    );
  }

  async #checkShape(trx: Db, input: NewSanction, now: string): Promise<void> {
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
    const startsAt = input.startsAt ?? now;
    if (input.endsAt !== undefined && input.endsAt <= startsAt) {
      throw new ValidationError('endsAt', 'must be after the start');
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
        sealer = await this.#subjects.sealer(row.subject_id, db);
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

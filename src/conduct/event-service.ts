import Type, { type Static } from 'typebox';
import type { CreditService } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { AvatarNotFoundError, ForbiddenError, itemError, MdisError, ValidationError } from '../errors.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import { newId } from '../util/ids.ts';
import { handlePattern, worldIdPattern } from '../util/patterns.ts';
import { dayMs } from '../util/time.ts';
import { type Check, compileCheck } from '../util/validation.ts';
import { clockSkewMs, type ReportService } from './report-service.ts';

export const ConductEvent = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'the world’s own id: a resent event counts once',
    }),
    world: Type.String({ pattern: worldIdPattern }),
    handle: Type.String({ pattern: handlePattern }),
    category: Type.String({ maxLength: 40 }),
    severity: Type.Integer({ minimum: 1, maximum: 10 }),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type ConductEventInput = Static<typeof ConductEvent>;
const checkShape: Check<ConductEventInput> = compileCheck(ConductEvent);

export type EventResult =
  | { index: number; status: 'accepted'; eventId: string; caseId?: string; points?: number }
  | { index: number; status: 'duplicate'; eventId: string }
  | { index: number; status: 'rejected'; error: string; message: string; field?: string };

type Rejected = Extract<EventResult, { status: 'rejected' }>;
type Valid = {
  status: 'valid';
  event: ConductEventInput;
  subject: string;
  polarity: 'negative' | 'positive';
};

export const maxEventBatch = 1000;
/** Runs of a batch that lost a race to open a case, before its error is the answer. */
const maxAttempts = 3;

/**
 * Conduct events, good and bad, that worlds send in batches. A positive event counts in the
 * score at once, within the policy's cap for its world and period; a negative one changes no
 * score: it files a report in the avatar's open case (opened, if need be, marked automated), and
 * counts only once a moderator upholds that case. A negative event of a category the policy
 * counts directly (`negativeEvents: "direct"`) counts at once instead, as a credit contribution
 * the subject may appeal.
 */
export class EventService {
  readonly #db: Db;
  readonly #policy: Policy;
  readonly #avatars: AvatarService;
  readonly #credit: CreditService;
  readonly #reports: ReportService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    policy: Policy;
    avatars: AvatarService;
    credit: CreditService;
    reports: ReportService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#policy = options.policy;
    this.#avatars = options.avatars;
    this.#credit = options.credit;
    this.#reports = options.reports;
    this.#now = options.now;
  }

  /**
   * Records a batch and answers per item. Bad items (of the wrong shape too) are rejected one by
   * one and the others kept, unless `atomic`: then one bad item rejects the batch and nothing is
   * written.
   */
  async ingest(
    events: readonly object[],
    caller: Principal,
    options: { atomic: boolean },
  ): Promise<{ results: EventResult[]; written: boolean }> {
    const now = this.#now();
    const checked = await Promise.all(events.map((event, index) => this.#check(event, index, caller, now)));
    if (options.atomic && checked.some((c) => c.status === 'rejected')) {
      return {
        results: checked.map((c, index) => (c.status === 'rejected' ? c : notWritten(index))),
        written: false,
      };
    }
    const results = await this.#recordAll(checked, caller.id, now.toISOString());
    return { results, written: true };
  }

  // One transaction for the batch. Another instance may open the same case at the same moment: the
  // unique index on open cases fails this transaction, and the batch runs again from the start,
  // joining that case (its events were rolled back with it, so none counts twice).
  async #recordAll(checked: (Valid | Rejected)[], actor: string, now: string): Promise<EventResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.#db, async (trx) => {
          const out: EventResult[] = [];
          for (const [index, item] of checked.entries()) {
            out.push(item.status === 'rejected' ? item : await this.#record(trx, index, item, actor, now));
          }
          return out;
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= maxAttempts) throw error;
      }
    }
  }

  async #record(trx: Tx, index: number, item: Valid, actor: string, now: string): Promise<EventResult> {
    const { event } = item;
    const eventId = newId('evt');
    // Insert-or-nothing on the unique (world, id): the same event sent twice at once counts once.
    const inserted = await trx
      .insertInto('conduct_events')
      .values({
        id: eventId,
        world_id: event.world,
        external_id: event.id,
        subject_id: item.subject,
        category: event.category,
        polarity: item.polarity,
        severity: event.severity,
        occurred_at: event.occurredAt,
        received_at: now,
        received_by: actor,
        case_id: null,
        points: 0,
      })
      .onConflict((oc) => oc.columns(['world_id', 'external_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      const existing = await trx
        .selectFrom('conduct_events')
        .select('id')
        .where('world_id', '=', event.world)
        .where('external_id', '=', event.id)
        .executeTakeFirstOrThrow();
      return { index, status: 'duplicate', eventId: existing.id };
    }
    if (item.polarity === 'negative' && !this.#policy.countsDirectly(event.category)) {
      const caseId = await this.#fileReport(trx, item, eventId, actor, now);
      return { index, status: 'accepted', eventId, caseId };
    }
    const points = await this.#count(trx, item, eventId, now);
    return { index, status: 'accepted', eventId, points };
  }

  // The event is the report's reporter, so each event counts once in its case.
  async #fileReport(trx: Tx, item: Valid, eventId: string, actor: string, now: string): Promise<string> {
    const { event } = item;
    const { caseId } = await this.#reports.fileWithin(trx, {
      input: {
        world: event.world,
        handle: event.handle,
        category: event.category,
        reporter: `event:${event.id}`,
        description: `Conduct event ${event.id} sent by the world ${event.world}: ${event.category} at severity ${event.severity}`,
        evidence: [],
        occurredAt: event.occurredAt,
      },
      subject: item.subject,
      actor,
      now,
      automated: true,
    });
    await trx.updateTable('conduct_events').set({ case_id: caseId }).where('id', '=', eventId).execute();
    return caseId;
  }

  // Counts the event's points: a negative one of a category counted directly at once; a positive
  // one unless it would take what this world's positive events added to this subject in the
  // policy's period above its cap, and then nothing. The subject's score row is held first, so
  // that of two batches at once the second sums after the first has committed: the cap is exact.
  async #count(trx: Tx, item: Valid, eventId: string, now: string): Promise<number> {
    const { event } = item;
    const points = this.#policy.category(event.category)!.points[event.severity - 1]!;
    const cap = this.#policy.document.events?.positiveCap;
    if (cap !== undefined && item.polarity === 'positive') {
      await this.#credit.hold(trx, item.subject);
      const since = new Date(Date.parse(now) - cap.periodDays * dayMs).toISOString();
      const counted = await trx
        .selectFrom('conduct_events')
        .select((eb) => eb.fn.sum<number | string | null>('points').as('sum'))
        .where('subject_id', '=', item.subject)
        .where('world_id', '=', event.world)
        .where('received_at', '>', since)
        .where('points', '>', 0)
        .executeTakeFirstOrThrow();
      if (Number(counted.sum ?? 0) + points > cap.points) return 0;
    }
    await trx.updateTable('conduct_events').set({ points }).where('id', '=', eventId).execute();
    const cause = {
      causeKind: 'event' as const,
      causeId: eventId,
      code: event.category,
      severity: event.severity,
    };
    await this.#credit.record(
      trx,
      item.subject,
      [{ ...cause, occurredAt: event.occurredAt }],
      `event:${eventId}`,
    );
    return points;
  }

  async #check(event: object, index: number, caller: Principal, now: Date): Promise<Valid | Rejected> {
    try {
      checkShape(event, '');
      if (caller.world !== event.world) {
        throw new ForbiddenError(`this platform acts for world "${caller.world}", not "${event.world}"`);
      }
      const category = this.#policy.category(event.category);
      if (category === undefined) {
        throw new ValidationError('category', `"${event.category}" is not a conduct category in the policy`);
      }
      if (event.severity > category.maxSeverity) {
        throw new ValidationError('severity', `is at most ${category.maxSeverity} for ${event.category}`);
      }
      if (Date.parse(event.occurredAt) > now.getTime() + clockSkewMs) {
        throw new ValidationError('occurredAt', 'is in the future');
      }
      const subject = await this.#avatars.subjectOf(event.world, event.handle);
      if (subject === undefined) {
        throw new AvatarNotFoundError(event.world, event.handle);
      }
      return { status: 'valid', event, subject, polarity: category.polarity };
    } catch (error) {
      if (!(error instanceof MdisError)) throw error;
      return { index, status: 'rejected', ...itemError(error) };
    }
  }
}

/** An atomic batch with a bad item: nothing was written; `results` says which items failed. */
export class BatchRejectedError extends MdisError {
  constructor(results: EventResult[]) {
    super('batch_rejected', 'the batch is atomic and some items were rejected: nothing was written', {
      results,
    });
  }
}

function notWritten(index: number): EventResult {
  return {
    index,
    status: 'rejected',
    error: 'batch_rejected',
    message: 'another item of this atomic batch was rejected',
  };
}

import Type, { type Static } from 'typebox';
import type { CreditService } from '../credit/credit-service.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { AvatarNotFoundError, ForbiddenError, itemError, MdisError, ValidationError } from '../errors.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import type { Policy } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import { newId } from '../util/ids.ts';
import { handlePattern, worldIdPattern } from '../util/patterns.ts';
import { type Check, compileCheck } from '../util/validation.ts';
import { clockSkewMs } from './report-service.ts';

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
  | { index: number; status: 'accepted' | 'duplicate'; eventId: string }
  | { index: number; status: 'rejected'; error: string; message: string; field?: string };

type Rejected = Extract<EventResult, { status: 'rejected' }>;
type Valid = {
  status: 'valid';
  event: ConductEventInput;
  subject: string;
  polarity: 'negative' | 'positive';
};

export const maxEventBatch = 1000;

/** Conduct events, good and bad, that worlds send in batches; they feed the credit score. */
export class EventService {
  readonly #db: Db;
  readonly #policy: Policy;
  readonly #avatars: AvatarService;
  readonly #credit: CreditService;
  readonly #now: () => Date;

  constructor(options: {
    db: Db;
    policy: Policy;
    avatars: AvatarService;
    credit: CreditService;
    now: () => Date;
  }) {
    this.#db = options.db;
    this.#policy = options.policy;
    this.#avatars = options.avatars;
    this.#credit = options.credit;
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
    const results = await inTransaction(this.#db, async (trx) => {
      const out: EventResult[] = [];
      for (const [index, item] of checked.entries()) {
        out.push(
          item.status === 'rejected'
            ? item
            : await this.#record(trx, index, item, caller.id, now.toISOString()),
        );
      }
      return out;
    });
    return { results, written: true };
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
    return { index, status: 'accepted', eventId };
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

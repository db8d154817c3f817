import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Delivery, Subscription } from '../api/subscriptions.ts';
import type { Db } from '../db/database.ts';
import { keysetPage, newestFirst, oldestFirst } from '../db/keyset.ts';
import type { SubscriptionsTable } from '../db/tables/subscriptions.ts';
import { inTransaction } from '../db/transaction.ts';
import { SubscriptionNotFoundError, SubscriptionRevokedError, ValidationError } from '../errors.ts';
import type { WorldService } from '../identity/world-service.ts';
import type { Keyring } from '../keyring.ts';
import type { Page } from '../util/cursor.ts';
import { newId } from '../util/ids.ts';
import type { NotifyEventType } from './events.ts';

export const maxUrlLength = 2000;

export interface NewSubscription {
  world: string;
  url: string;
  events: NotifyEventType[];
}

/** The context a subscription's signing secret is sealed under: it opens for that row only. */
export function secretContext(subscriptionId: string): string {
  return `subscription|${subscriptionId}`;
}

/** A world's webhook subscriptions: created with a signing secret shown once, listed, revoked. */
export class SubscriptionService {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #worlds: WorldService;
  readonly #now: () => Date;

  constructor(options: { db: Db; keyring: Keyring; worlds: WorldService; now: () => Date }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#worlds = options.worlds;
    this.#now = options.now;
  }

  /**
   * Subscribes `url` to `events` of a world. The signing secret is returned here and never again:
   * the store keeps it sealed, because the worker must sign with it (a hash would not do).
   */
  async create(
    input: NewSubscription,
    actor: string,
  ): Promise<{ subscription: Subscription; secret: string }> {
    const url = checkUrl(input.url);
    const events = [...new Set(input.events)];
    if (events.length === 0) throw new ValidationError('events', 'must name at least one event type');
    const id = newId('sub');
    const secret = randomBytes(32).toString('base64url');
    const row = {
      id,
      world_id: input.world,
      url,
      events: JSON.stringify(events),
      sealed_secret: this.#keyring.sealSecret(secretContext(id), secret),
      created_at: this.#now().toISOString(),
      created_by: actor,
      revoked_at: null,
    };
    await inTransaction(this.#db, async (trx) => {
      await this.#worlds.get(input.world, trx);
      await trx.insertInto('subscriptions').values(row).execute();
    });
    return { subscription: toSubscription(row), secret };
  }

  /** A world's subscriptions, oldest first, revoked ones included (they say when). */
  async list(options: { world: string; cursor?: string; limit: number }): Promise<Page<Subscription>> {
    await this.#worlds.get(options.world);
    const query = this.#db.selectFrom('subscriptions').selectAll().where('world_id', '=', options.world);
    return keysetPage(query, options, oldestFirst, (rows) => rows.map(toSubscription));
  }

  /**
   * A subscription's notifications, newest first, with how their delivery went. One of another
   * world is "not found", as for revoke.
   */
  async deliveries(options: {
    world: string;
    id: string;
    cursor?: string;
    limit: number;
  }): Promise<Page<Delivery>> {
    const owned = await this.#db
      .selectFrom('subscriptions')
      .select('id')
      .where('id', '=', options.id)
      .where('world_id', '=', options.world)
      .executeTakeFirst();
    if (owned === undefined) throw new SubscriptionNotFoundError(options.world, options.id);
    const query = this.#db
      .selectFrom('outbox')
      .select(['id', 'event_type', 'status', 'attempts', 'created_at', 'next_attempt_at', 'delivered_at'])
      .select('last_error')
      .where('subscription_id', '=', options.id);
    return keysetPage(query, options, newestFirst, (rows) =>
      rows.map((row) => ({
        id: row.id,
        eventType: row.event_type as NotifyEventType,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.created_at,
        nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : undefined,
        deliveredAt: row.delivered_at ?? undefined,
        lastError: row.last_error ?? undefined,
      })),
    );
  }

  /**
   * Revokes a subscription of `world`. One of another world is "not found", not "forbidden", so
   * that a platform cannot probe for other worlds' subscription ids.
   */
  async revoke(world: string, id: string): Promise<Subscription> {
    return inTransaction(this.#db, async (trx) => {
      const row = await trx
        .selectFrom('subscriptions')
        .selectAll()
        .where('id', '=', id)
        .where('world_id', '=', world)
        .executeTakeFirst();
      if (row === undefined) throw new SubscriptionNotFoundError(world, id);
      if (row.revoked_at !== null) throw new SubscriptionRevokedError(id);
      const revokedAt = this.#now().toISOString();
      // The guard on revoked_at makes a concurrent second revocation a conflict, not a silent rewrite.
      const updated = await trx
        .updateTable('subscriptions')
        .set({ revoked_at: revokedAt })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new SubscriptionRevokedError(id);
      return toSubscription({ ...row, revoked_at: revokedAt });
    });
  }
}

/** http and https only: anything else (file:, javascript:, ftp:) is not a webhook receiver. */
function checkUrl(raw: string): string {
  if (raw.length > maxUrlLength)
    throw new ValidationError('url', `must be at most ${maxUrlLength} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError('url', 'is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError('url', 'must be an http or https URL');
  // The URL is stored and listed in the clear; the signature is what authenticates mdis.
  if (url.username !== '' || url.password !== '')
    throw new ValidationError('url', 'must not carry credentials; verify the signature instead');
  if (url.hash !== '') throw new ValidationError('url', 'must not have a fragment');
  return url.href;
}

function toSubscription(row: Omit<Selectable<SubscriptionsTable>, 'sealed_secret'>): Subscription {
  return {
    id: row.id,
    world: row.world_id,
    url: row.url,
    events: JSON.parse(row.events) as NotifyEventType[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
  };
}

import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { OutboxTable } from '../db/tables/outbox.ts';
import type { Keyring } from '../keyring.ts';
import { hourMs, isoAfter, minuteMs } from '../util/time.ts';
import { secretContext } from './subscription-service.ts';

export interface DeliveryOptions {
  /** The first retry waits about this long; each further one twice as long as the last. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many failed attempts a notification is given up ('failed'). */
  maxAttempts: number;
  /** One POST may take this long before it counts as failed. */
  timeoutMs: number;
  /** How long a claimed row stays with this instance; must outlast a delivery. */
  leaseMs: number;
  /** Rows claimed (and sent concurrently) per pass. */
  batchSize: number;
}

export const defaultDeliveryOptions: DeliveryOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: hourMs,
  maxAttempts: 16, // with the 1 h cap, about 3 to 4 hours of retrying
  timeoutMs: 5_000,
  leaseMs: minuteMs,
  batchSize: 50,
};

/**
 * The `mdis-signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * Signing the time with the body lets a receiver refuse replays of an old delivery.
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

type Claimed = Pick<OutboxTable, 'id' | 'subscription_id' | 'event_type' | 'payload' | 'attempts'>;
type Target = { url: string; sealed_secret: Buffer; revoked_at: string | null };
type Outcome = { ok: true } | { ok: false; error: string };

/**
 * Sends the outbox to the subscribed worlds. Any number of instances may run it at once: a row is
 * claimed by one conditional UPDATE (a lease), so only one instance holds it at a time, and a
 * crashed instance's lease simply runs out. Delivery is at least once: a receiver that answered
 * after our timeout gets the notification again, with the same `mdis-event-id`.
 */
export class DeliveryWorker {
  readonly #db: Db;
  readonly #keyring: Keyring;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #options: DeliveryOptions;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(options: {
    db: Db;
    keyring: Keyring;
    logger: Logger;
    now: () => Date;
    options?: Partial<DeliveryOptions>;
  }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#options = { ...defaultDeliveryOptions, ...options.options };
    if (this.#options.leaseMs <= this.#options.timeoutMs) {
      throw new Error('the delivery lease must outlast the delivery timeout');
    }
  }

  /** Claims the rows due now and attempts each once; returns how many it attempted. */
  deliverDue(): Promise<number> {
    if (this.#stopped) return Promise.resolve(0);
    const pass = this.#pass().finally(() => {
      if (this.#running === pass) this.#running = undefined;
    });
    this.#running = pass;
    return pass;
  }

  /** Lets the pass under way finish (at most one timeout) and starts no other. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running?.catch(() => undefined);
  }

  /** Outbox rows by status, for metrics and operators. */
  async counts(): Promise<Record<OutboxTable['status'], number>> {
    const rows = await this.#db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<string | number>().as('n')])
      .groupBy('status')
      .execute();
    const counts = { pending: 0, delivered: 0, failed: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async #pass(): Promise<number> {
    const now = this.#now();
    const leaseUntil = isoAfter(now, this.#options.leaseMs);
    const claimed = await this.#claim(now.toISOString(), leaseUntil);
    if (claimed.length === 0) return 0;
    const targets = await this.#db
      .selectFrom('subscriptions')
      .select(['id', 'url', 'sealed_secret', 'revoked_at'])
      .where('id', 'in', [...new Set(claimed.map((row) => row.subscription_id))])
      .execute();
    const byId = new Map(targets.map((t) => [t.id, t]));
    await Promise.all(claimed.map((row) => this.#deliver(row, byId.get(row.subscription_id)!, leaseUntil)));
    return claimed.length;
  }

  /**
   * One statement, so it is atomic on both engines: PostgreSQL re-checks the WHERE on a row another
   * transaction has just leased and skips it; SQLite runs writers one at a time.
   */
  #claim(now: string, leaseUntil: string): Promise<Claimed[]> {
    return this.#db
      .updateTable('outbox')
      .set({ lease_until: leaseUntil })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
          .orderBy('next_attempt_at')
          .limit(this.#options.batchSize),
      )
      .where('status', '=', 'pending')
      .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
      .returning(['id', 'subscription_id', 'event_type', 'payload', 'attempts'])
      .execute();
  }

  async #deliver(row: Claimed, target: Target, leaseUntil: string): Promise<void> {
    // A revoked subscription's backlog is given up, not sent: the world asked for no more.
    if (target.revoked_at !== null) {
      await this.#record(row, leaseUntil, { status: 'failed', last_error: 'subscription_revoked' });
      return;
    }
    const outcome = await this.#post(row, target);
    const attempts = row.attempts + 1;
    const now = this.#now();
    if (outcome.ok) {
      await this.#record(row, leaseUntil, {
        status: 'delivered',
        attempts,
        delivered_at: now.toISOString(),
        last_error: null,
      });
      return;
    }
    const giveUp = attempts >= this.#options.maxAttempts;
    this.#logger.warn(
      { notification: row.id, subscription: row.subscription_id, attempts, error: outcome.error, giveUp },
      'webhook delivery failed',
    );
    await this.#record(row, leaseUntil, {
      status: giveUp ? 'failed' : 'pending',
      attempts,
      last_error: outcome.error,
      next_attempt_at: giveUp ? undefined : isoAfter(now, this.#backoff(attempts)),
    });
  }

  async #post(row: Claimed, target: Target): Promise<Outcome> {
    try {
      const secret = this.#keyring.openSecret(secretContext(row.subscription_id), target.sealed_secret);
      const t = Math.floor(this.#now().getTime() / 1000);
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'mdis-webhooks/1',
          'mdis-event-id': row.id,
          'mdis-event-type': row.event_type,
          'mdis-signature': signatureHeader(secret, t, row.payload),
        },
        body: row.payload,
        // A redirect would send the signed body somewhere the world did not register.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      // The answer's body is of no interest (and is never stored): release the connection.
      await response.body?.cancel().catch(() => undefined);
      return response.ok ? { ok: true } : { ok: false, error: `http ${response.status}` };
    } catch (error) {
      return { ok: false, error: describeFailure(error) };
    }
  }

  /** Writes the outcome only while this instance still holds the lease it claimed the row with. */
  async #record(
    row: Claimed,
    leaseUntil: string,
    change: Partial<
      Pick<OutboxTable, 'status' | 'attempts' | 'delivered_at' | 'last_error' | 'next_attempt_at'>
    >,
  ): Promise<void> {
    await this.#db
      .updateTable('outbox')
      .set({ ...change, lease_until: null })
      .where('id', '=', row.id)
      .where('lease_until', '=', leaseUntil)
      .execute();
  }

  /** Exponential from the base, capped, with half of it random so that retries do not stampede. */
  #backoff(attempts: number): number {
    const nominal = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** (attempts - 1));
    return Math.round(nominal / 2 + (Math.random() * nominal) / 2);
  }
}

/** The kind of failure only: never a message or body, which may echo what the receiver holds. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timeout';
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  if (typeof code === 'string') return `network ${code}`;
  return error instanceof Error ? error.name : 'unknown';
}

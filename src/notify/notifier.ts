import type { Tx } from '../db/transaction.ts';
import type { AvatarService } from '../identity/avatar-service.ts';
import { newId } from '../util/ids.ts';
import type { NotifyEvent } from './events.ts';

/**
 * Puts notifications in the outbox inside the caller's transaction, so that a notification exists
 * exactly when the change it reports was committed. Delivery is the outbox worker's job.
 */
export class Notifier {
  readonly #avatars: AvatarService;

  constructor(options: { avatars: AvatarService }) {
    this.#avatars = options.avatars;
  }

  /**
   * One outbox row per live subscription to `event.type` of each world where the subject has an
   * avatar (only `event.world` when set). The world learns its own handles and pseudonym only.
   */
  async enqueue(trx: Tx, event: NotifyEvent): Promise<void> {
    const avatars = (await this.#avatars.avatarsOf(event.subject, trx)).filter(
      (a) => event.world === null || a.world === event.world,
    );
    if (avatars.length === 0) return;
    const worlds = [...new Set(avatars.map((a) => a.world))];
    const subscriptions = await trx
      .selectFrom('subscriptions')
      .select(['id', 'world_id', 'events'])
      .where('world_id', 'in', worlds)
      .where('revoked_at', 'is', null)
      .execute();
    const rows = subscriptions
      .filter((s) => (JSON.parse(s.events) as string[]).includes(event.type))
      .map((s) => {
        const here = avatars.filter((a) => a.world === s.world_id);
        const id = newId('ntf');
        const payload = {
          id,
          type: event.type,
          occurredAt: event.occurredAt,
          world: s.world_id,
          pseudonym: here[0]!.pseudonym,
          handles: here.map((a) => a.handle),
          ...event.data,
        };
        return {
          id,
          subscription_id: s.id,
          event_type: event.type,
          payload: JSON.stringify(payload),
          status: 'pending' as const,
          attempts: 0,
          created_at: event.occurredAt,
          next_attempt_at: event.occurredAt,
          lease_until: null,
          delivered_at: null,
          last_error: null,
        };
      });
    if (rows.length > 0) await trx.insertInto('outbox').values(rows).execute();
  }
}

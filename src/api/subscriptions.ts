import Type, { type Static } from 'typebox';
import { notifyEventTypes } from '../notify/events.ts';
import { StringEnum } from '../util/string-enum.ts';

/** A world's webhook subscription (its signing secret is shown once, at creation). */
export const Subscription = Type.Object({
  id: Type.String(),
  world: Type.String(),
  url: Type.String(),
  events: Type.Array(StringEnum(notifyEventTypes)),
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});
export type Subscription = Static<typeof Subscription>;

/** One notification to a subscription and how its delivery went: never its payload. */
export const Delivery = Type.Object({
  id: Type.String({ description: 'the notification, as its `mdis-event-id` header names it' }),
  eventType: StringEnum(notifyEventTypes),
  status: StringEnum(['pending', 'delivered', 'failed']),
  attempts: Type.Integer(),
  createdAt: Type.String(),
  nextAttemptAt: Type.Optional(Type.String({ description: 'pending only: when it is tried next' })),
  deliveredAt: Type.Optional(Type.String()),
  lastError: Type.Optional(
    Type.String({
      description: 'the kind of the last failure: `http 500`, `timeout`, `network ECONNREFUSED`…',
    }),
  ),
});
export type Delivery = Static<typeof Delivery>;

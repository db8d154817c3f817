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

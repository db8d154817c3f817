import Type, { type Static } from 'typebox';
import { worldIdPattern } from '../util/patterns.ts';
import { StringEnum } from '../util/string-enum.ts';
import { sanctionKinds, sanctionStatuses, strikeStatuses } from './words.ts';

/** A sanction as moderators and its subject see it (worlds see fewer fields: avatars.ts). */
export const Sanction = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  kind: StringEnum(sanctionKinds),
  world: Type.Optional(Type.String()),
  actions: Type.Optional(Type.Array(Type.String())),
  startsAt: Type.String(),
  endsAt: Type.Optional(Type.String()),
  reason: Type.String(),
  caseId: Type.Optional(Type.String()),
  source: Type.String({ description: 'decision, ladder (the strike ladder) or manual' }),
  status: StringEnum(sanctionStatuses),
  createdAt: Type.String(),
  endedAt: Type.Optional(Type.String()),
  liftReason: Type.Optional(Type.String()),
  imposedBy: Type.String({
    description:
      'the principal who imposed it: a moderator, or for a case’s sanction the one who decided the case',
  }),
});
export type Sanction = Static<typeof Sanction>;

/** The fields a sanction is asked for with, in a decision or on its own. */
export const sanctionRequestFields = {
  kind: StringEnum(sanctionKinds),
  world: Type.Optional(
    Type.String({ pattern: worldIdPattern, description: 'mute and suspension: the world' }),
  ),
  actions: Type.Optional(
    Type.Array(Type.String({ maxLength: 60 }), {
      minItems: 1,
      maxItems: 20,
      description: 'restriction: actions',
    }),
  ),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500, description: 'absent: until lifted' })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
};

/** Strikes added by one upheld decision. */
export const Strike = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  strikes: Type.Integer(),
  severity: Type.Integer(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  status: StringEnum(strikeStatuses),
});
export type Strike = Static<typeof Strike>;

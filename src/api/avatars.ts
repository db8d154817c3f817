import Type, { type Static } from 'typebox';
import { handlePattern, worldIdPattern } from '../util/patterns.ts';
import { StringEnum } from '../util/string-enum.ts';
import { sanctionKinds } from './words.ts';

/** An avatar, named by its world and its handle there. */
export const AvatarParams = Type.Object({
  world: Type.String({ pattern: worldIdPattern }),
  handle: Type.String({ pattern: handlePattern }),
});

/** What a world may know of one of its avatars: never the identity behind it. */
export const AvatarStanding = Type.Object({
  world: Type.String(),
  handle: Type.String(),
  pseudonym: Type.String({ description: 'stable for this subject in this world, unlinkable across worlds' }),
  boundAt: Type.String(),
});
export type AvatarStanding = Static<typeof AvatarStanding>;

/** The standings a world can read of its avatars, worst last (the OpenID `standing` claim too). */
export const standings = ['allowed', 'muted', 'suspended', 'banned'] as const;

/** A sanction as a world sees it: its public fields, never its reason (which may describe the person). */
export const SanctionHere = Type.Object({
  id: Type.String(),
  kind: StringEnum(sanctionKinds),
  world: Type.Optional(
    Type.String({ description: 'absent for a ban or a restriction, which hold everywhere' }),
  ),
  actions: Type.Optional(Type.Array(Type.String())),
  startsAt: Type.String(),
  endsAt: Type.Optional(Type.String({ description: 'absent: until lifted' })),
});
export type SanctionHere = Static<typeof SanctionHere>;

/** An avatar with its standing in its world: grade and the sanctions in force there; never the identity. */
export const WorldAvatar = Type.Object({
  ...AvatarStanding.properties,
  grade: Type.Optional(Type.String({ description: 'the subject’s credit grade' })),
  standing: StringEnum(standings, {
    description: 'the worst sanction in force here: a ban anywhere, or a suspension or mute in this world',
  }),
  sanctions: Type.Array(SanctionHere, {
    description: 'in force now and holding here: bans, this world’s sanctions, restrictions of world actions',
  }),
});
export type WorldAvatar = Static<typeof WorldAvatar>;

/** One of the person's own avatars: its world (with the world's name), handle and pseudonym there. */
export const Binding = Type.Object({
  world: Type.String(),
  worldName: Type.String(),
  handle: Type.String(),
  pseudonym: Type.String(),
  boundAt: Type.String(),
});
export type Binding = Static<typeof Binding>;

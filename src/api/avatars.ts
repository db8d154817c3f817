import Type, { type Static } from 'typebox';
import { handlePattern, worldIdPattern } from '../util/patterns.ts';

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

/** One of the person's own avatars: its world (with the world's name), handle and pseudonym there. */
export const Binding = Type.Object({
  world: Type.String(),
  worldName: Type.String(),
  handle: Type.String(),
  pseudonym: Type.String(),
  boundAt: Type.String(),
});
export type Binding = Static<typeof Binding>;

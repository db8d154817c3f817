import Type, { type Static } from 'typebox';

/** The person's lock on the use of its identity: since when, or null when not locked. */
export const LockState = Type.Object({
  locked: Type.Union([Type.String(), Type.Null()], {
    description:
      'since when the use of your identity is locked (no sign-in at worlds, no new bindings or credentials); null when not',
  }),
});
export type LockState = Static<typeof LockState>;

import Type, { type Static } from 'typebox';

/** A nonce a service asks for, to put in the key binding of the presentation it will send. */
export const PresentationNonce = Type.Object({
  nonce: Type.String({ description: 'for the key-binding JWT’s `nonce`; single-use, yours alone' }),
  expiresAt: Type.String(),
});
export type PresentationNonce = Static<typeof PresentationNonce>;

/** A credential presented to a service, that it maps to its own pseudonym for the person. */
export const PresentedCredential = Type.Object(
  {
    presentation: Type.String({
      maxLength: 16_000,
      description:
        'an SD-JWT VC of mdis with a key-binding JWT whose aud is your principal id and nonce one mdis gave you',
    }),
  },
  { additionalProperties: false },
);
export type PresentedCredential = Static<typeof PresentedCredential>;

/** The service's own pseudonym for the holder: the `sub` its sign-in would give. */
export const PresentationPseudonym = Type.Object({ pseudonym: Type.String() });
export type PresentationPseudonym = Static<typeof PresentationPseudonym>;

import Type, { type Static } from 'typebox';

/** Credential configuration ids (OpenID4VCI `credential_configuration_id`). */
export const credentialTypes = ['mdis_identity', 'mdis_standing'] as const;

/** What a person asks for when they make an offer for their wallet. */
export const NewCredentialOffer = Type.Object(
  {
    configurations: Type.Array(Type.String({ maxLength: 64 }), {
      minItems: 1,
      maxItems: 2,
      description: 'mdis_identity and/or mdis_standing',
    }),
    withGrade: Type.Optional(
      Type.Boolean({ description: 'put your grade in the standing credential (default: no)' }),
    ),
  },
  { additionalProperties: false },
);
export type NewCredentialOffer = Static<typeof NewCredentialOffer>;

/** An offer for a wallet: a QR code or link, and the transaction code the wallet will ask for. */
export const CredentialOffer = Type.Object({
  offerUri: Type.String({ description: 'openid-credential-offer://?credential_offer=...' }),
  txCode: Type.String({ description: 'shown to you only; type it into your wallet' }),
  expiresAt: Type.String(),
  offer: Type.Record(Type.String(), Type.Unknown()),
});
export type CredentialOffer = Static<typeof CredentialOffer>;

/** One of the person's credentials: what mdis keeps of it (never its claims) and its status. */
export const MyCredential = Type.Object({
  id: Type.String(),
  type: Type.String(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  status: Type.Union([Type.Literal('valid'), Type.Literal('revoked'), Type.Literal('expired')]),
  revokedAt: Type.Optional(Type.String()),
  revokedReason: Type.Optional(Type.String()),
  statusList: Type.String({ description: 'the status list URI this credential has its entry in' }),
});
export type MyCredential = Static<typeof MyCredential>;

export const MyCredentials = Type.Object({ credentials: Type.Array(MyCredential) });
export type MyCredentials = Static<typeof MyCredentials>;

import Type, { type Static } from 'typebox';
import { roles } from '../principals/roles.ts';
import { StringEnum } from '../util/string-enum.ts';

/** Who a bearer token belongs to: its role and the scope the role carries. */
export const Whoami = Type.Object({
  id: Type.String(),
  role: StringEnum(roles),
  name: Type.String(),
  world: Type.Optional(Type.String()),
  actions: Type.Optional(Type.Array(Type.String())),
  jurisdiction: Type.Optional(Type.String()),
  organisation: Type.Optional(Type.String()),
  subject: Type.Optional(Type.String()),
});
export type Whoami = Static<typeof Whoami>;

/** A principal as the admin lists it: who it is, and when it was created and revoked. */
export const PrincipalRecord = Type.Object({
  ...Whoami.properties,
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});
export type PrincipalRecord = Static<typeof PrincipalRecord>;

/** What the admin creates a principal with; the scope its role needs (roles.ts) is checked after. */
export const NewPrincipal = Type.Object(
  {
    role: StringEnum(roles),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    world: Type.Optional(Type.String({ description: 'platform: the world it acts for' })),
    actions: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        maxItems: 100,
        description: 'service: its action categories',
      }),
    ),
    jurisdiction: Type.Optional(Type.String({ description: 'authority: ISO 3166 code' })),
    organisation: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'staff: the organisation it acts for' }),
    ),
    subject: Type.Optional(Type.String({ description: 'subject: its own digital ID' })),
  },
  { additionalProperties: false },
);

/** What a proposal changes: a principal created, or one revoked (a principal's role never changes). */
export const principalChanges = ['create', 'revoke'] as const;
/** `expired`: pending past its `expiresAt`, never decided. */
export const proposalStatuses = ['pending', 'approved', 'refused', 'expired'] as const;

/** A change to an admin, oversight or auditor principal, proposed by one admin for another to decide. */
export const PrincipalProposal = Type.Object({
  id: Type.String(),
  change: StringEnum(principalChanges),
  role: StringEnum(roles),
  status: StringEnum(proposalStatuses),
  principal: Type.Optional(
    Type.String({ description: 'the principal revoked; for a creation, the one made once approved' }),
  ),
  name: Type.Optional(Type.String({ description: 'the name of the principal created or revoked' })),
  proposedBy: Type.String(),
  proposedAt: Type.String(),
  expiresAt: Type.String(),
  decidedBy: Type.Optional(Type.String()),
  decidedAt: Type.Optional(Type.String()),
});
export type PrincipalProposal = Static<typeof PrincipalProposal>;

/** Who a principal id is, for screens that show who acted (staff and machines only). */
export const PrincipalName = Type.Object({
  id: Type.String(),
  role: StringEnum(roles),
  name: Type.String(),
  organisation: Type.Optional(Type.String()),
});
export type PrincipalName = Static<typeof PrincipalName>;

import Type, { type Static } from 'typebox';
import { handlePattern, worldIdPattern } from '../util/patterns.ts';
import { StringEnum } from '../util/string-enum.ts';
import { DigitalIdParam } from './common.ts';
import { legalBasisKinds } from './words.ts';

const strict = { additionalProperties: false } as const;
const text = (max: number) => Type.String({ minLength: 1, maxLength: max });

/** What may hold an erasure: an open case, an active sanction, a preservation order. */
/**
 * `legal_hold`: a preservation order still under its gag, which mdis may not name yet: it holds
 * the erasure all the same, with no reason or date given until the gag ends (then `preservation`).
 */
export const erasureHolds = ['open_case', 'active_sanction', 'preservation', 'legal_hold'] as const;
export type ErasureHold = (typeof erasureHolds)[number];

/** One thing that holds an erasure now, and when it ends on its own (null: no set end). */
export const ErasureHoldNow = Type.Object({
  reason: StringEnum(erasureHolds),
  earliestDate: Type.Union([Type.String(), Type.Null()]),
});
export type ErasureHoldNow = Static<typeof ErasureHoldNow>;

export const erasureReasons = ['request', 'death', 'duplicate'] as const;
export const closureReasons = ['death', 'duplicate'] as const;

/** A subject's erasure as the subject (or the registrar that closed it) sees it. */
export const ErasureStatus = Type.Object({
  status: StringEnum(['none', 'scheduled', 'erased']),
  reason: Type.Optional(StringEnum(erasureReasons)),
  requestedAt: Type.Optional(Type.String()),
  dueAt: Type.Optional(
    Type.String({ description: 'not erased before (the retention policy); later while something holds it' }),
  ),
  erasedAt: Type.Optional(Type.String()),
  holds: Type.Array(ErasureHoldNow, { description: 'what holds an erasure now' }),
  afterRequestDays: Type.Integer({ description: 'the retention policy: days kept after a request' }),
});
export type ErasureStatus = Static<typeof ErasureStatus>;

/** A registrar closes a subject: a death, or a duplicate enrolment. */
export const ClosureRequest = Type.Object({ reason: StringEnum(closureReasons) }, strict);

/**
 * An authority's order to preserve a subject's data. `legalBasis` is checked by the service, not
 * the schema, so that an order without one is refused by policy (422), not as malformed.
 */
export const PreservationOrder = Type.Object(
  {
    target: Type.Object(
      {
        world: Type.Optional(Type.String({ pattern: worldIdPattern })),
        handle: Type.Optional(Type.String({ pattern: handlePattern })),
        subject: Type.Optional(DigitalIdParam),
      },
      { ...strict, description: 'an avatar (world and handle) or a subject' },
    ),
    legalBasis: Type.Optional(
      Type.Object(
        {
          kind: Type.Optional(StringEnum(legalBasisKinds)),
          reference: Type.Optional(Type.String({ maxLength: 200 })),
          issuedBy: Type.Optional(Type.String({ maxLength: 200 })),
        },
        strict,
      ),
    ),
    offence: Type.String({ maxLength: 40, description: 'a conduct category of the policy: its gag applies' }),
    days: Type.Integer({ minimum: 1, maximum: 90 }),
  },
  strict,
);
export type PreservationOrder = Static<typeof PreservationOrder>;

export const PreservationExtension = Type.Object({ days: Type.Integer({ minimum: 1, maximum: 90 }) }, strict);

/** A preservation order as the authority that gave it, oversight and auditors see it. */
export const Preservation = Type.Object({
  id: Type.String(),
  authority: Type.String(),
  subject: Type.String(),
  legalBasis: Type.Object({ kind: StringEnum(legalBasisKinds), reference: text(200), issuedBy: text(200) }),
  offence: Type.String(),
  createdAt: Type.String(),
  endsAt: Type.String(),
  extendedAt: Type.Union([Type.String(), Type.Null()]),
  gagUntil: Type.String(),
  status: StringEnum(['active', 'lapsed']),
});
export type Preservation = Static<typeof Preservation>;

/** What the person is told of a preservation of its data once the gag has ended. */
export const PreservationNotice = Type.Object({
  id: Type.String(),
  legalBasisKind: StringEnum(legalBasisKinds),
  offence: Type.String(),
  orderedAt: Type.String(),
  endsAt: Type.String(),
  extended: Type.Boolean(),
  status: StringEnum(['active', 'lapsed']),
});
export type PreservationNotice = Static<typeof PreservationNotice>;

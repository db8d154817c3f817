import Type, { type Static } from 'typebox';
import { handlePattern, recordIdPattern, worldIdPattern } from '../util/patterns.ts';
import { StringEnum } from '../util/string-enum.ts';
import { DigitalIdParam } from './common.ts';
import { attributeGroups, disclosureStatuses, legalBasisKinds } from './words.ts';

const strict = { additionalProperties: false } as const;
const text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Group = Type.Record(Type.String(), Type.Unknown());

/** What an authority asks with: whom, which attribute groups, under which legal basis and why. */
export const DisclosureRequest = Type.Object(
  {
    target: Type.Object(
      {
        world: Type.Optional(Type.String({ pattern: worldIdPattern })),
        handle: Type.Optional(Type.String({ pattern: handlePattern })),
        subject: Type.Optional(DigitalIdParam),
      },
      { ...strict, description: 'an avatar (world and handle) or a subject' },
    ),
    scope: Type.Array(StringEnum(attributeGroups), { minItems: 1, uniqueItems: true }),
    legalBasis: Type.Object(
      {
        kind: StringEnum(legalBasisKinds),
        reference: text(200),
        issuedBy: text(200),
        expiresAt: Type.String({ format: 'date-time' }),
      },
      strict,
    ),
    offence: Type.String({ maxLength: 40, description: 'a conduct category of the policy' }),
    purpose: text(2000),
    case: Type.Optional(
      Type.String({
        pattern: recordIdPattern('case'),
        description:
          'the case the request concerns: about the target (the same avatar, or subject), of the offence’s category; required unless the policy says the category may go without one (`requiresCase: false`)',
      }),
    ),
  },
  strict,
);
export type DisclosureRequest = Static<typeof DisclosureRequest>;

/** What oversight, auditors and the asking authority may all see: no text, no target. */
export const DisclosureSummary = Type.Object({
  id: Type.String(),
  status: StringEnum(disclosureStatuses),
  authority: Type.String({ description: 'the principal that asked' }),
  jurisdiction: Type.String(),
  emergency: Type.Boolean(),
  legalBasis: Type.Object({
    kind: StringEnum(legalBasisKinds),
    expiresAt: Type.String(),
    reference: Type.Optional(Type.String()),
    issuedBy: Type.Optional(Type.String()),
  }),
  offence: Type.String(),
  scope: Type.Array(StringEnum(attributeGroups)),
  createdAt: Type.String(),
  decidedAt: Type.Optional(Type.String()),
  decidedBy: Type.Optional(Type.String({ description: '"policy" when granted on request' })),
  reviewDueAt: Type.Optional(Type.String({ description: 'emergency: oversight reviews it by then' })),
  reviewedAt: Type.Optional(Type.String()),
  reviewedBy: Type.Optional(Type.String()),
  overdue: Type.Boolean({ description: 'an emergency disclosure past its review deadline, unreviewed' }),
  gagUntil: Type.String({ description: 'the subject is told from then on' }),
  reads: Type.Integer(),
  withCase: Type.Boolean({ description: 'whether the request named a case' }),
});
export type DisclosureSummary = Static<typeof DisclosureSummary>;

/** The person behind the target, in the granted scope only; `found: false` when there is none. */
export const Identity = Type.Object(
  {
    found: Type.Boolean(),
    subject: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    natural: Type.Optional(Group),
    social: Type.Optional(Group),
    signs: Type.Optional(Group),
  },
  { description: 'to the asking authority, once granted: the attributes in scope' },
);
export type Identity = Static<typeof Identity>;

/** The request in full, for the asking authority and oversight; the identity for the authority. */
export const DisclosureDetail = Type.Object({
  ...DisclosureSummary.properties,
  target: Type.Optional(
    Type.Object({
      world: Type.Optional(Type.String()),
      handle: Type.Optional(Type.String()),
      subject: Type.Optional(Type.String()),
    }),
  ),
  purpose: Type.Optional(Type.String()),
  oversightReason: Type.Optional(Type.String()),
  identity: Type.Optional(Identity),
  case: Type.Optional(Type.String({ description: 'the case the request named' })),
});
export type DisclosureDetail = Static<typeof DisclosureDetail>;

/** What a subject is told of a disclosure about itself, once its gag has ended. */
export const DisclosureNotice = Type.Object({
  id: Type.String(),
  requestedAt: Type.String(),
  jurisdiction: Type.String({ description: 'of the authority that asked' }),
  legalBasis: Type.String({ description: 'its kind: warrant, court_order, statute, emergency' }),
  offence: Type.String(),
  scope: Type.Array(Type.String()),
  status: Type.String(),
  reads: Type.Integer({ description: 'how many times the authority read your attributes' }),
  case: Type.Optional(Type.String({ description: 'the case about you the request named' })),
  noticeAt: Type.String({ description: 'when its gag ended: you were told from then on' }),
  appealDeadline: Type.Optional(
    Type.String({
      description:
        'until when you may appeal it to oversight (POST /v1/appeals, kind disclosure): a granted disclosure not yet appealed',
    }),
  ),
});
export type DisclosureNotice = Static<typeof DisclosureNotice>;

const counts = Type.Record(Type.String(), Type.Integer());

/** What happened to the requests of a period: counts only, never a target or a text. */
export const TransparencyReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  requests: Type.Integer({ description: 'made in [from, to), refused by policy or not' }),
  byLegalBasis: counts,
  byOutcome: Type.Object({
    granted: Type.Integer(),
    refused: Type.Integer(),
    refused_by_policy: Type.Integer(),
    pending: Type.Integer(),
  }),
  byOffence: counts,
  byJurisdiction: counts,
  refusalReasons: counts,
  emergency: Type.Object({
    requests: Type.Integer(),
    reviewed: Type.Integer(),
    reviewedOnTime: Type.Integer(),
    reviewedLate: Type.Integer(),
    overdue: Type.Integer({ description: 'past the review deadline, unreviewed when the report is made' }),
  }),
  reads: Type.Integer(),
  declaredUnlawful: Type.Integer({
    description: 'disclosures declared unlawful in [from, to) by an overturned appeal (issue 14)',
  }),
  log: Type.Union([
    Type.Object({ size: Type.Integer(), root: Type.String(), checkpointAt: Type.String() }),
    Type.Null(),
  ]),
  // Every other power (issue 13), each counted from the log.
  byCase: Type.Object(
    { withCase: Type.Integer(), withoutCase: Type.Integer() },
    { description: 'the requests (refused by policy or not) that named a case, and those that did not' },
  ),
  staffReads: Type.Object(
    { total: Type.Integer(), byPurpose: counts },
    { description: 'reads of a decrypted profile by staff (subject.read), by their stated purpose' },
  ),
  breakGlass: Type.Object(
    { total: Type.Integer(), byKind: counts },
    { description: 'acts done around the two-person rule on the operator’s machine, by log entry kind' },
  ),
  principalChanges: Type.Object(
    {
      created: Type.Integer(),
      revoked: Type.Integer(),
      proposed: Type.Integer(),
      approved: Type.Integer(),
      refused: Type.Integer(),
    },
    { description: 'changes of principals, and proposals of changes approved or refused' },
  ),
  preservations: Type.Object(
    {
      ordered: Type.Integer(),
      extended: Type.Integer(),
      byLegalBasis: counts,
    },
    {
      description:
        'authorities’ orders to preserve a subject’s data (which hold its erasure), and extensions',
    },
  ),
});
export type TransparencyReport = Static<typeof TransparencyReport>;

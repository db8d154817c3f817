import Type, { type Static } from 'typebox';
import { StringEnum } from '../util/string-enum.ts';

export const correctionStatuses = ['pending', 'accepted', 'refused'] as const;
export type CorrectionStatus = (typeof correctionStatuses)[number];

const field = Type.String({
  pattern: '^(natural|social|signs)\\.[A-Za-z]{1,40}$',
  description: 'the attribute, as `group.key`: `natural.legalName`, `social.email`',
});
const reason = (what: string) =>
  Type.String({ minLength: 1, maxLength: 2000, pattern: '^[^\\u0000]+$', description: what });

/** A person's proposed correction of one of its own attributes. */
export const NewCorrection = Type.Object(
  {
    field,
    value: Type.Unknown({
      description:
        'the field’s new value, checked exactly as a registrar’s change of it would be; null removes an optional field',
    }),
    reason: reason('why the recorded value is wrong'),
  },
  { additionalProperties: false },
);
export type NewCorrection = Static<typeof NewCorrection>;

/** A registrar's refusal: the person is shown the reason. */
export const CorrectionRefusal = Type.Object(
  { reason: reason('why the correction is refused; the person is shown it') },
  { additionalProperties: false },
);
export type CorrectionRefusal = Static<typeof CorrectionRefusal>;

// As newId('cor') makes it (util/ids.ts).
export const CorrectionIdParam = Type.String({ pattern: '^cor_[0-9a-z]{16}$' });

const decided = {
  decidedAt: Type.Optional(Type.String()),
  decidedBy: Type.Optional(Type.String({ description: 'the registrar’s principal id' })),
  version: Type.Optional(
    Type.Integer({ description: 'accepted: the version of the field’s group it added' }),
  ),
};

/** A correction as the person who proposed it sees it: its own value and reason, and the outcome. */
export const MyCorrection = Type.Object({
  id: Type.String(),
  field: Type.String(),
  value: Type.Unknown(),
  reason: Type.String(),
  status: StringEnum(correctionStatuses),
  createdAt: Type.String(),
  ...decided,
  refusalReason: Type.Optional(Type.String()),
});
export type MyCorrection = Static<typeof MyCorrection>;

/** A correction in the registrars' queue: which subject and field, never a value. */
export const CorrectionSummary = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  field: Type.String(),
  status: StringEnum(correctionStatuses),
  createdAt: Type.String(),
  baseVersion: Type.Integer({ description: 'the version of the field’s group it was proposed against' }),
  ...decided,
});
export type CorrectionSummary = Static<typeof CorrectionSummary>;

/** What a registrar reviews: the current and the proposed value (a logged read of the profile). */
export const CorrectionReview = Type.Object({
  ...CorrectionSummary.properties,
  currentVersion: Type.Integer({
    description: 'the field’s group now: differs from baseVersion if it changed since',
  }),
  current: Type.Unknown({ description: 'the field’s value now; null when it has none' }),
  proposed: Type.Unknown(),
  reason: Type.String(),
  refusalReason: Type.Optional(Type.String()),
});
export type CorrectionReview = Static<typeof CorrectionReview>;

/** The registrars' list: by status, oldest first. */
export const CorrectionQueueQuery = {
  status: Type.Optional(StringEnum(correctionStatuses, { description: 'pending unless given' })),
};

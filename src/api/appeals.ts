import Type, { type Static } from 'typebox';
import { recordIdPattern, sortableIdPattern } from '../util/patterns.ts';
import { StringEnum } from '../util/string-enum.ts';

/**
 * What can be appealed: a case's decision, a sanction imposed directly, a disclosure once told, a
 * credit contribution counted without a decision (a negative event its category counts directly).
 */
export const appealKinds = ['case', 'sanction', 'disclosure', 'contribution'] as const;
export type AppealKind = (typeof appealKinds)[number];
/** Who hears an appeal: moderators for conduct, oversight for disclosures. */
export const appealQueues = ['moderator', 'oversight'] as const;
export type AppealQueue = (typeof appealQueues)[number];
export const appealStatuses = ['pending', 'upheld', 'overturned'] as const;
export type AppealStatus = (typeof appealStatuses)[number];

const targetId = {
  case: recordIdPattern('case'),
  sanction: recordIdPattern('snc'),
  disclosure: recordIdPattern('dsc'),
  contribution: sortableIdPattern('crd'),
} as const;

function target<K extends AppealKind>(kind: K) {
  return Type.Object(
    { kind: Type.Literal(kind), id: Type.String({ pattern: targetId[kind] }) },
    { additionalProperties: false },
  );
}

/** A subject's appeal of one adverse decision about it. */
export const NewAppeal = Type.Object(
  {
    target: Type.Union([target('case'), target('sanction'), target('disclosure'), target('contribution')], {
      description:
        'the decision appealed: a case, a sanction imposed directly, a disclosure after its notice, a credit contribution of a negative event counted directly',
    }),
    reason: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type NewAppeal = Static<typeof NewAppeal>;

export const AppealDecision = Type.Object(
  {
    outcome: StringEnum(['upheld', 'overturned']),
    rationale: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type AppealDecision = Static<typeof AppealDecision>;

export const Appeal = Type.Object({
  id: Type.String(),
  kind: StringEnum(appealKinds),
  target: Type.String(),
  subject: Type.String(),
  queue: StringEnum(appealQueues),
  status: StringEnum(appealStatuses),
  reason: Type.String(),
  filedAt: Type.String(),
  rationale: Type.Optional(Type.String()),
  decidedAt: Type.Optional(Type.String()),
  decisionBy: Type.Optional(
    Type.String({ description: 'a conduct appeal: who made the decision appealed, never who hears it' }),
  ),
  decidedBy: Type.Optional(Type.String({ description: 'a conduct appeal: who heard it' })),
});
export type Appeal = Static<typeof Appeal>;

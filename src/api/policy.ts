import Type, { type Static } from 'typebox';
import { StringEnum } from '../util/string-enum.ts';
import { attributeGroups, legalBasisKinds, sanctionKinds, subjectKinds } from './words.ts';

/**
 * The policy in force as clients read it to build their lists (offences, actions, grades): each
 * value with the label to show and the snake_case name to send. Serialised by `policyView`.
 */
const label = Type.String({ description: 'what to show a person; send `name`' });

export const PolicyCategory = Type.Object({
  name: Type.String({ description: 'the value the API takes, e.g. `spreading_rumors`' }),
  label,
  description: Type.String(),
  polarity: StringEnum(['negative', 'positive']),
  speech: Type.Boolean(),
  maxSeverity: Type.Integer({ description: 'severities run from 1 to this' }),
  dimension: Type.String(),
  points: Type.Array(Type.Integer(), { description: 'credit points by severity, 1 first' }),
  disclosure: Type.Object({
    allowed: Type.Boolean(),
    legalBases: Type.Optional(Type.Array(StringEnum(legalBasisKinds))),
    oversight: Type.Optional(StringEnum(['required', 'not_required'])),
    gagDays: Type.Optional(Type.Integer()),
    scope: Type.Optional(Type.Array(StringEnum(attributeGroups))),
    requiresCase: Type.Optional(Type.Boolean()),
  }),
});
export type PolicyCategory = Static<typeof PolicyCategory>;

const Named = <T extends string>(values: readonly T[]) =>
  Type.Array(Type.Object({ name: StringEnum(values), label }));

export const PolicyView = Type.Object({
  name: Type.String(),
  digest: Type.String({ description: 'SHA-256 of the canonical policy: its version as the log records it' }),
  categories: Type.Array(PolicyCategory, { description: 'conduct categories, as the policy lists them' }),
  actions: Type.Array(
    Type.Object({
      name: Type.String({ description: 'e.g. `travel.air`' }),
      label,
      description: Type.String(),
      deniedBy: Type.Array(Type.String({ description: 'sanction kinds that deny it' })),
      deniedAtGrades: Type.Array(Type.String()),
    }),
  ),
  sanctionKinds: Type.Array(
    Type.Object({
      name: StringEnum(sanctionKinds),
      label,
      points: Type.Integer({ description: 'credit points a sanction of this kind counts' }),
    }),
  ),
  grades: Type.Array(
    Type.Object(
      { grade: Type.String(), min: Type.Integer(), max: Type.Integer() },
      { description: 'best first' },
    ),
  ),
  scores: Type.Object({
    base: Type.Integer(),
    floor: Type.Integer(),
    ceiling: Type.Integer(),
    bandWidth: Type.Integer({ description: 'the width of the score bands of GET /v1/credit/distribution' }),
  }),
  legalBases: Named(legalBasisKinds),
  attributeGroups: Named(attributeGroups),
  subjectKinds: Named(subjectKinds),
  readPurposes: Type.Array(Type.Object({ name: Type.String(), label })),
  strikes: Type.Object({
    expiresAfterDays: Type.Integer(),
    perSeverity: Type.Record(Type.String(), Type.Integer()),
    ladder: Type.Array(
      Type.Object({
        atStrikes: Type.Integer(),
        sanction: Type.String(),
        days: Type.Optional(Type.Integer({ description: 'absent: until lifted' })),
      }),
    ),
  }),
  appeals: Type.Object({
    windowDays: Type.Integer(),
    sanctionWindowDays: Type.Optional(Type.Integer()),
    disclosureWindowDays: Type.Optional(Type.Integer()),
    contributionWindowDays: Type.Optional(Type.Integer()),
  }),
  emergencyReviewHours: Type.Integer(),
});
export type PolicyView = Static<typeof PolicyView>;

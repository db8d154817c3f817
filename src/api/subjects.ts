import Type, { type Static } from 'typebox';
import { StringEnum } from '../util/string-enum.ts';
import { attributeGroups, subjectKinds } from './words.ts';

// What a subject is enrolled with and changed by (Enrolment, AttributePatch) sits with the
// attribute rules in identity/attributes.ts; this is what the registry answers.

const Group = Type.Record(Type.String(), Type.Unknown());

/** One version of one attribute group, as the history lists it. */
export const AttributeVersion = Type.Object({
  group: StringEnum(attributeGroups),
  version: Type.Integer(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  value: Group,
});
export type AttributeVersion = Static<typeof AttributeVersion>;

/** A subject's current attributes, decrypted; with `history`, every version of every group. */
export const SubjectProfile = Type.Object({
  id: Type.String(),
  kind: StringEnum(subjectKinds),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  natural: Group,
  social: Group,
  signs: Group,
  // The current version of each group; every change adds one.
  versions: Type.Object({ natural: Type.Integer(), social: Type.Integer(), signs: Type.Integer() }),
  history: Type.Optional(Type.Array(AttributeVersion)),
});
export type SubjectProfile = Static<typeof SubjectProfile>;

/**
 * What a change of attributes answers: the versions, never the attributes (reading them back is
 * a logged read with a purpose).
 */
export const AttributesChanged = Type.Object({
  id: Type.String(),
  kind: StringEnum(subjectKinds),
  updatedAt: Type.String(),
  versions: SubjectProfile.properties.versions,
  changed: Type.Array(StringEnum(attributeGroups), { description: 'the groups that got a new version' }),
});
export type AttributesChanged = Static<typeof AttributesChanged>;

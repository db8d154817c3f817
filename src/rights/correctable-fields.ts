import { NotCorrectableError, ValidationError } from '../errors.ts';
import type { AttributeGroup, AttributePatch, SubjectKind } from '../identity/attributes.ts';
import { OrganisationNatural, PersonNatural, Signs, Social } from '../identity/attributes.ts';

/** A field a person may propose a correction of: `group.key` of its own kind's attributes. */
export interface CorrectableField {
  path: string;
  group: AttributeGroup;
  key: string;
}

const organisation = { natural: OrganisationNatural, social: Social, signs: Signs };
const schemas = {
  person: { natural: PersonNatural, social: Social, signs: Signs },
  organisation,
  agency: organisation,
};

/**
 * Names the field a correction is about. A key the subject's kind does not have is a 400 on
 * `field`. The signs (device ids, avatar fingerprints, biometric digests) are refused: the
 * registry and the worlds capture or derive them, the person does not state them and cannot read
 * a digest to check it; a registrar changes them (PATCH /v1/subjects/{id}/attributes).
 */
export function correctableField(kind: SubjectKind, path: string): CorrectableField {
  const [group, key, ...rest] = path.split('.');
  const schema = schemas[kind][group as AttributeGroup];
  if (schema === undefined || key === undefined || rest.length > 0 || !(key in schema.properties)) {
    throw new ValidationError('field', `is not an attribute of a ${kind}`);
  }
  if (group === 'signs') {
    throw new NotCorrectableError(path, 'signs are captured by the registry and the worlds; ask a registrar');
  }
  return { path, group: group as AttributeGroup, key };
}

/** The change a correction makes: the one field set (or removed, with null) in its group. */
export function correctionPatch(field: CorrectableField, value: unknown): AttributePatch {
  return { [field.group]: { [field.key]: value } };
}

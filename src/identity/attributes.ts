import Type from 'typebox';
import type { AttributeGroup, SubjectKind } from '../api/words.ts';
import { ValidationError } from '../errors.ts';
import { countryCodePattern, jurisdictionPattern } from '../util/countries.ts';
import { sha256HexPattern } from '../util/patterns.ts';
import { type Check, compileCheck, compileFullCheck, StringEnum } from '../util/validation.ts';

export { type AttributeGroup, attributeGroups, type SubjectKind, subjectKinds } from '../api/words.ts';

const strict = { additionalProperties: false } as const;
const text = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
const date = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const country = Type.String({ pattern: countryCodePattern, description: 'ISO 3166-1 alpha-2' });
const sha256Hex = Type.String({ pattern: sha256HexPattern, description: 'SHA-256, lower-case hex' });

export const documentTypes = ['passport', 'national_id', 'driving_licence', 'residence_permit'] as const;

export const PersonNatural = Type.Object(
  {
    legalName: text(200),
    // Optional and stated, never split from the legal name: its order differs by country.
    givenName: Type.Optional(text(100)),
    familyName: Type.Optional(text(100)),
    birthDate: date,
    sex: StringEnum(['F', 'M', 'X'], { description: 'as on ICAO documents' }),
    nationality: country,
    document: Type.Object(
      {
        type: StringEnum(documentTypes),
        number: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 -]{2,39}$' }),
        issuingCountry: country,
        expiresOn: Type.Optional(date),
      },
      strict,
    ),
  },
  strict,
);

export const OrganisationNatural = Type.Object(
  {
    legalName: text(200),
    registrationNumber: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 ./-]{1,39}$' }),
    jurisdiction: Type.String({ pattern: jurisdictionPattern, description: 'ISO 3166-1 or 3166-2 code' }),
    foundedOn: date,
  },
  strict,
);

export const Social = Type.Object(
  {
    occupation: Type.Optional(text(200)),
    employer: Type.Optional(text(200)),
    workTitle: Type.Optional(text(200)),
    accounts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            network: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{0,39}$' }),
            handle: Type.String({ pattern: '^[^\\s\\u0000-\\u001f\\u007f]{1,100}$' }),
          },
          strict,
        ),
        { maxItems: 50 },
      ),
    ),
    phone: Type.Optional(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  },
  strict,
);

export const Signs = Type.Object(
  {
    deviceIds: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9:._-]{1,128}$' }), { maxItems: 100, uniqueItems: true }),
    ),
    avatarFingerprints: Type.Optional(Type.Array(sha256Hex, { maxItems: 100, uniqueItems: true })),
    biometricDigests: Type.Optional(
      Type.Array(
        Type.Object({ kind: StringEnum(['voiceprint', 'face_template']), sha256: sha256Hex }, strict),
        { maxItems: 10 },
      ),
    ),
  },
  strict,
);

export type PersonNatural = Type.Static<typeof PersonNatural>;
export type OrganisationNatural = Type.Static<typeof OrganisationNatural>;
export type Natural = PersonNatural | OrganisationNatural;
export type Social = Type.Static<typeof Social>;
export type Signs = Type.Static<typeof Signs>;
export type Attributes = { natural: Natural; social: Social; signs: Signs };

const enrolBranch = <K extends SubjectKind, N extends typeof PersonNatural | typeof OrganisationNatural>(
  kind: K,
  natural: N,
) =>
  Type.Object(
    { kind: Type.Literal(kind), natural, social: Type.Optional(Social), signs: Type.Optional(Signs) },
    strict,
  );

const enrolBranches = [
  enrolBranch('person', PersonNatural),
  enrolBranch('organisation', OrganisationNatural),
  enrolBranch('agency', OrganisationNatural),
];

/** The enrolment body: one branch per kind, chosen by `kind` so errors name the right field. */
export const Enrolment = Type.Unsafe<Type.Static<(typeof enrolBranches)[number]>>({
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: enrolBranches,
});
export type Enrolment = Type.Static<typeof Enrolment>;

/** A change to attribute groups: given fields replace the current ones, `null` removes one. */
export const AttributePatch = Type.Object(
  {
    natural: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    social: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    signs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { ...strict, minProperties: 1 },
);
export type AttributePatch = Type.Static<typeof AttributePatch>;

const checkPerson: Check<PersonNatural> = compileCheck(PersonNatural);
const checkOrganisation: Check<OrganisationNatural> = compileCheck(OrganisationNatural);
const checkSocial: Check<Social> = compileCheck(Social);
const checkSigns: Check<Signs> = compileCheck(Signs);

/** Validates one group's full value for a subject of `kind`, including the rules schemas cannot say. */
export function checkGroup(kind: SubjectKind, group: AttributeGroup, value: unknown, today: string): void {
  if (group === 'social') {
    checkSocial(value, group);
  } else if (group === 'signs') {
    checkSigns(value, group);
  } else if (kind === 'person') {
    checkPerson(value, group);
    notAfter(value.birthDate, today, 'natural.birthDate');
    if (value.birthDate < '1900-01-01') throw new ValidationError('natural.birthDate', 'is before 1900');
  } else {
    checkOrganisation(value, group);
    notAfter(value.foundedOn, today, 'natural.foundedOn');
  }
}

function notAfter(date: string, today: string, field: string): void {
  if (date > today) throw new ValidationError(field, 'is in the future');
}

const enrolmentProblems = compileFullCheck(Enrolment);

/**
 * Checks an enrolment whole and names every field's problem in one ValidationError (`fields`),
 * the schema's and the dates' rules alike, so that a registrar corrects the form once.
 */
export function checkEnrolment(input: unknown, today: string): asserts input is Enrolment {
  const problems = enrolmentProblems(input, '');
  const named = new Set(problems.map((p) => p.details.field));
  const { kind, natural } = (input ?? {}) as { kind?: unknown; natural?: Record<string, unknown> };
  const field = kind === 'person' ? 'birthDate' : 'foundedOn';
  const date = natural?.[field];
  if (typeof date === 'string' && !named.has('kind') && !named.has(`natural.${field}`)) {
    if (date > today) problems.push(new ValidationError(`natural.${field}`, 'is in the future'));
    else if (kind === 'person' && date < '1900-01-01')
      problems.push(new ValidationError(`natural.${field}`, 'is before 1900'));
  }
  if (problems.length > 0) throw ValidationError.every(problems);
}

/**
 * The natural identifier that must be unique: the identity document for persons, the registration
 * for organisations and agencies. Normalised so that spacing and case do not make a second identity.
 */
export function naturalIdentifier(kind: SubjectKind, natural: Natural): string {
  const squash = (s: string) => s.toUpperCase().replace(/[\s./-]/g, '');
  if (kind === 'person') {
    const { type, number, issuingCountry } = (natural as PersonNatural).document;
    return `document|${type}|${issuingCountry}|${squash(number)}`;
  }
  const org = natural as OrganisationNatural;
  return `registration|${org.jurisdiction}|${squash(org.registrationNumber)}`;
}

import { isOver, standingIn } from '../oidc/claims.ts';

/** The credential configurations this issuer offers (OpenID4VCI `credential_configuration_id`s). */
export const configurationIds = ['mdis_identity', 'mdis_standing'] as const;
export type ConfigurationId = (typeof configurationIds)[number];

export function isConfigurationId(id: unknown): id is ConfigurationId {
  return typeof id === 'string' && (configurationIds as readonly string[]).includes(id);
}

interface Configuration {
  /** The SD-JWT VC type, appended to the issuer URL. */
  vctPath: string;
  /** How long a credential of it lives. */
  lifetimeDays: number;
  /** Every claim it may carry, each selectively disclosable, with what the wallet shows. */
  claims: Record<string, string>;
  display: string;
}

/**
 * What each credential says, mapped honestly from what mdis holds: the natural identity has one
 * `legalName`, carried as `name`; `given_name` and `family_name` only when the person's given and
 * family names were stated (mdis never splits the legal name: the order differs by country);
 * `nationality` is ISO 3166-1 alpha-2; the age
 * predicates are computed on the day of issuance.
 */
export const configurations: Record<ConfigurationId, Configuration> = {
  mdis_identity: {
    vctPath: '/credentials/identity',
    lifetimeDays: 365,
    display: 'mdis identity',
    claims: {
      name: 'Legal name',
      given_name: 'Given name',
      family_name: 'Family name',
      birthdate: 'Date of birth',
      nationality: 'Nationality',
      age_over_13: 'Over 13',
      age_over_18: 'Over 18',
    },
  },
  mdis_standing: {
    vctPath: '/credentials/standing',
    lifetimeDays: 30,
    display: 'mdis standing',
    claims: {
      unique_person: 'One person, enrolled once',
      not_banned: 'Not banned',
      grade: 'Grade (only if you chose to include it)',
    },
  },
};

/** What the claims are computed from, read by the credential service for one subject. */
export interface SubjectFacts {
  kind: string;
  natural: Record<string, unknown>;
  sanctions: Parameters<typeof standingIn>[1];
  grade: string | undefined;
}

/** The claims of one credential for this subject, today; a claim mdis does not hold is left out. */
export function claimsOf(
  id: ConfigurationId,
  facts: SubjectFacts,
  options: { withGrade: boolean; today: Date },
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (id === 'mdis_identity') {
    const { legalName, givenName, familyName, birthDate, nationality } = facts.natural;
    if (typeof legalName === 'string') claims.name = legalName;
    if (typeof givenName === 'string') claims.given_name = givenName;
    if (typeof familyName === 'string') claims.family_name = familyName;
    if (typeof birthDate === 'string') {
      claims.birthdate = birthDate;
      claims.age_over_13 = isOver(birthDate, 13, options.today);
      claims.age_over_18 = isOver(birthDate, 18, options.today);
    }
    if (typeof nationality === 'string') claims.nationality = nationality;
    return claims;
  }
  // Every person is enrolled under a de-duplicated natural identity (a unique keyed hash).
  claims.unique_person = facts.kind === 'person';
  // A ban is world-independent: `standingIn` with any world id sees it.
  claims.not_banned = standingIn('', facts.sanctions, options.today) !== 'banned';
  if (options.withGrade && facts.grade !== undefined) claims.grade = facts.grade;
  return claims;
}

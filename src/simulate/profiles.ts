import type {
  Enrolment,
  OrganisationNatural,
  PersonNatural,
  Signs,
  Social,
  SubjectKind,
} from '../identity/attributes.ts';
import { dayMs } from '../util/time.ts';
import {
  agencyKinds,
  type Country,
  handleAdjectives,
  handleNouns,
  legalForms,
  type NameRegion,
  nameRegions,
  occupations,
  organisationNouns,
  organisationPrefixes,
  socialNetworks,
  usStates,
  workTitles,
} from './names.ts';
import { Random } from './random.ts';

/** One synthetic subject: what the registrar enrols, and stems for the handles of its avatars. */
export interface SubjectProfile {
  kind: SubjectKind;
  enrolment: Enrolment;
  /** Lower-case ASCII, safe in a handle; the population adds a unique suffix. */
  handleStems: string[];
}

const regionWeights = nameRegions.map((r) => [r, r.weight] as const);
// Coprime with 10⁹, so that index ↦ (index·m + offset) mod 10⁹ is a bijection: every subject of a
// run gets its own 9-digit document or registration number, however many there are (up to 10⁹).
const documentMultiplier = 7_919_117;
const documentSpace = 1_000_000_000;

/** The largest population whose document numbers are all distinct. */
export const maxSubjects = documentSpace;

/**
 * Subject `index` of the population of `seed`, the same on every call: about 90% persons, 8%
 * organisations and 2% agencies (the first subject is always a person, so that a tiny population
 * still has someone to hold avatars).
 */
export function subjectProfile(seed: number, index: number): SubjectProfile {
  const rng = new Random(seed, 'subject', index);
  const kind: SubjectKind =
    index === 0
      ? 'person'
      : rng.weighted([
          ['person', 90],
          ['organisation', 8],
          ['agency', 2],
        ]);
  const number = uniqueNumber(seed, index);
  return kind === 'person' ? person(rng, index, number) : organisation(rng, kind, index, number);
}

const offsets = new Map<number, number>();

function uniqueNumber(seed: number, index: number): string {
  let offset = offsets.get(seed);
  if (offset === undefined) {
    offset = new Random(seed, 'documents').int(documentSpace);
    offsets.set(seed, offset);
  }
  return String((index * documentMultiplier + offset) % documentSpace).padStart(9, '0');
}

function person(rng: Random, index: number, number: string): SubjectProfile {
  const region = rng.weighted(regionWeights);
  const nationality = rng.pick(region.countries);
  const sex = rng.weighted([
    ['F', 49],
    ['M', 49],
    ['X', 2],
  ] as const);
  const given = rng.pick(sex === 'F' || (sex === 'X' && rng.chance(0.5)) ? region.female : region.male);
  const family = rng.pick(region.family);
  const documentType = rng.weighted([
    ['passport', 60],
    ['national_id', 30],
    ['driving_licence', 8],
    ['residence_permit', 2],
  ] as const);
  const letters = () => String.fromCharCode(65 + rng.int(26), 65 + rng.int(26));
  const natural: PersonNatural = {
    legalName: region.familyFirst ? `${family} ${given}` : `${given} ${family}`,
    givenName: given,
    familyName: family,
    birthDate: dateIn(rng, Math.round(Math.min(2008, Math.max(1935, rng.normal(1992, 13))))),
    sex,
    nationality: nationality.code,
    document: {
      type: documentType,
      number: documentType === 'national_id' ? `${number}${letters()}` : `${letters()}${number}`,
      issuingCountry: documentType === 'residence_permit' ? otherCountry(rng, nationality) : nationality.code,
      expiresOn: dateIn(rng, rng.between(2026, 2035)),
    },
  };
  const who = `${ascii(given)}.${ascii(family)}`;
  return {
    kind: 'person',
    enrolment: {
      kind: 'person',
      natural,
      social: personSocial(rng, who, index, nationality),
      signs: signs(rng),
    },
    handleStems: [
      who,
      `${ascii(given)}${ascii(family).slice(0, 1)}`,
      `${rng.pick(handleAdjectives)}${rng.pick(handleNouns)}`,
    ],
  };
}

function personSocial(rng: Random, who: string, index: number, home: Country): Social {
  const social: Social = {};
  if (rng.chance(0.7)) social.occupation = rng.pick(occupations);
  if (social.occupation !== undefined && rng.chance(0.4)) {
    social.employer = companyName(rng, home.code);
    if (rng.chance(0.5)) social.workTitle = `${rng.pick(workTitles)} ${social.occupation}`;
  }
  if (rng.chance(0.8)) social.phone = phone(rng, home);
  if (rng.chance(0.75))
    social.email = `${who}${index.toString(36)}@${rng.pick(['example.com', 'example.org', 'example.net'])}`;
  if (rng.chance(0.5)) {
    social.accounts = rng.distinct(rng.between(1, 2), socialNetworks.length).map((n) => ({
      network: socialNetworks[n]!,
      handle: `@${who.replace('.', '_')}${rng.int(1000)}`,
    }));
  }
  return social;
}

function signs(rng: Random): Signs {
  const signs: Signs = {
    deviceIds: Array.from({ length: rng.between(1, 3) }, (_, i) => `dev:${rng.hex(4)}-${i + 1}`),
  };
  if (rng.chance(0.6)) signs.avatarFingerprints = [rng.hex(32)];
  if (rng.chance(0.2))
    signs.biometricDigests = [{ kind: rng.pick(['voiceprint', 'face_template']), sha256: rng.hex(32) }];
  return signs;
}

function organisation(
  rng: Random,
  kind: 'organisation' | 'agency',
  index: number,
  number: string,
): SubjectProfile {
  const home = rng.pick(rng.weighted(regionWeights).countries);
  const agency = kind === 'agency';
  const legalName = agency ? `${home.name} ${rng.pick(agencyKinds)}` : companyName(rng, home.code);
  const natural: OrganisationNatural = {
    legalName,
    registrationNumber: agency ? `GOV-${home.code}-${number}` : `${registryPrefix(home.code)}${number}`,
    jurisdiction: home.code === 'US' && !agency ? rng.pick(usStates) : home.code,
    foundedOn: dateIn(rng, agency ? rng.between(1900, 2015) : rng.between(1960, 2023)),
  };
  const slug = ascii(legalName.split(' ').slice(0, 2).join('-')) || `org${index}`;
  const social: Social = { email: `contact@${slug}.example.com`, phone: phone(rng, home) };
  const stem = agency ? `${home.code.toLowerCase()}.${slug}` : slug;
  return { kind, enrolment: { kind, natural, social, signs: {} }, handleStems: [stem, `${stem}.official`] };
}

function companyName(rng: Random, countryCode: string): string {
  const form = rng.pick(legalForms[countryCode] ?? ['Ltd']);
  return `${rng.pick(organisationPrefixes)} ${rng.pick(organisationNouns)} ${form}`;
}

function registryPrefix(countryCode: string): string {
  const prefixes: Record<string, string> = { DE: 'HRB ', FR: 'RCS ', GB: 'UK', US: 'EIN-', JP: 'JCN' };
  return prefixes[countryCode] ?? `${countryCode}-`;
}

function otherCountry(rng: Random, home: Country): string {
  const region: NameRegion = rng.weighted(regionWeights);
  const away = rng.pick(region.countries);
  return away.code === home.code ? 'DE' : away.code;
}

function phone(rng: Random, home: Country): string {
  return `+${home.dial}${rng.between(1, 9)}${String(rng.int(100_000_000)).padStart(8, '0')}`;
}

/** A day in `year`, as YYYY-MM-DD. */
function dateIn(rng: Random, year: number): string {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  return new Date(start + rng.int((end - start) / dayMs) * dayMs).toISOString().slice(0, 10);
}

/** Lower-case ASCII letters, digits, dots and hyphens only: for handles and e-mail addresses. */
export function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

import type { FieldSpec } from '../../components/field-spec.ts';
import { fieldLabel, valueOptions } from './attribute-labels.ts';

/**
 * The enrolment form's fields, as src/identity/attributes.ts defines them (the API stays the
 * judge of every rule: these only say what to type).
 */

export type EnrolKind = 'person' | 'organisation' | 'agency';

export const kindOptions: [EnrolKind, string][] = [
  ['person', 'Person'],
  ['organisation', 'Organisation'],
  ['agency', 'Government agency'],
];

const field = (path: string, more: Omit<FieldSpec, 'path' | 'label'> = {}): FieldSpec => ({
  path,
  label: fieldLabel(path),
  ...more,
});
const dateHint = 'YYYY-MM-DD, e.g. 1990-04-01';
const countryHint = 'Two-letter country code (ISO 3166-1), e.g. GB';
const select = (path: string, required = true): FieldSpec =>
  field(path, { control: 'select', options: valueOptions(path), required });

const person: FieldSpec[] = [
  field('natural.legalName', { required: true, hint: 'As written on the identity document' }),
  field('natural.givenName'),
  field('natural.familyName'),
  field('natural.birthDate', { required: true, hint: dateHint, inputMode: 'numeric' }),
  select('natural.sex'),
  field('natural.nationality', { required: true, hint: countryHint }),
  select('natural.document.type'),
  field('natural.document.number', { required: true, hint: 'Letters, digits, spaces or hyphens' }),
  field('natural.document.issuingCountry', { required: true, hint: countryHint }),
  field('natural.document.expiresOn', { hint: dateHint, inputMode: 'numeric' }),
];

const organisation: FieldSpec[] = [
  field('natural.legalName', { required: true }),
  field('natural.registrationNumber', { required: true, hint: 'As in the register that issued it' }),
  field('natural.jurisdiction', { required: true, hint: 'Country or subdivision code, e.g. GB or US-CA' }),
  field('natural.foundedOn', { required: true, hint: dateHint, inputMode: 'numeric' }),
];

export const naturalFields: Record<EnrolKind, FieldSpec[]> = {
  person,
  organisation,
  agency: organisation,
};

export const socialFields: FieldSpec[] = [
  field('social.occupation'),
  field('social.employer'),
  field('social.workTitle'),
  field('social.phone', { hint: 'International format, e.g. +447700900123', inputMode: 'tel' }),
  field('social.email', { inputMode: 'email' }),
  field('social.accounts', {
    control: 'lines',
    hint: 'One a line: the network, a space, the handle (mastodon @tom@example.social)',
  }),
];

export const signsFields: FieldSpec[] = [
  field('signs.deviceIds', { control: 'lines', hint: 'One a line' }),
  field('signs.avatarFingerprints', { control: 'lines', hint: 'SHA-256 in lower-case hex, one a line' }),
];

/** Fields whose codes are upper case: typed in either case. */
const upper = new Set(['natural.nationality', 'natural.document.issuingCountry', 'natural.jurisdiction']);

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A typed value as the API takes it: lists split into lines, country codes in upper case. */
export function valueFor(spec: FieldSpec, raw: string): unknown {
  const text = raw.trim();
  if (spec.path === 'social.accounts') {
    return lines(text).map((line) => {
      const [network = '', ...rest] = line.split(/\s+/);
      return { network, handle: rest.join(' ') };
    });
  }
  if (spec.control === 'lines') return lines(text);
  return upper.has(spec.path) ? text.toUpperCase() : text;
}

/** The POST /v1/subjects body: filled fields only, at their paths; the API says what is missing. */
export function enrolmentBody(kind: EnrolKind, values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { kind, natural: {} };
  for (const spec of [...naturalFields[kind], ...socialFields, ...signsFields]) {
    const raw = values[spec.path] ?? '';
    if (raw.trim() === '') continue;
    const parts = spec.path.split('.');
    let at = body;
    for (const part of parts.slice(0, -1)) {
      at[part] ??= {};
      at = at[part] as Record<string, unknown>;
    }
    at[parts.at(-1)!] = valueFor(spec, raw);
  }
  return body;
}

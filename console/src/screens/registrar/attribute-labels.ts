import { ApiError } from '../../api.ts';
import { words } from '../../format.ts';
import type { AttributeGroup } from '../../types.ts';

/**
 * How the console names attributes: the proposal's three groups and each field in words, so a
 * registrar reads "Legal name", never `natural.legalName`. The keys are the API's dotted paths.
 */

export const groupLabels: Record<AttributeGroup, string> = {
  natural: 'Natural characteristics',
  social: 'Social characteristics',
  signs: 'Identifiable signs',
};

const fieldLabels: Record<string, string> = {
  id: 'Digital ID',
  kind: 'Kind',
  'natural.legalName': 'Legal name',
  'natural.givenName': 'Given name',
  'natural.familyName': 'Family name',
  'natural.birthDate': 'Birth date',
  'natural.sex': 'Sex',
  'natural.nationality': 'Nationality',
  'natural.document': 'Identity document',
  'natural.document.type': 'Document type',
  'natural.document.number': 'Document number',
  'natural.document.issuingCountry': 'Issuing country',
  'natural.document.expiresOn': 'Document expires on',
  'natural.registrationNumber': 'Registration number',
  'natural.jurisdiction': 'Jurisdiction',
  'natural.foundedOn': 'Founded on',
  'social.occupation': 'Occupation',
  'social.employer': 'Employer',
  'social.workTitle': 'Work title',
  'social.accounts': 'Accounts',
  'social.accounts.network': 'Network',
  'social.accounts.handle': 'Handle',
  'social.phone': 'Phone',
  'social.email': 'Email',
  'signs.deviceIds': 'Device IDs',
  'signs.avatarFingerprints': 'Avatar fingerprints',
  'signs.biometricDigests': 'Biometric digests',
};

/** Values the API spells as codes, in words. */
const valueLabels: Record<string, Record<string, string>> = {
  'natural.sex': { F: 'Female', M: 'Male', X: 'X (unspecified)' },
  'natural.document.type': {
    passport: 'Passport',
    national_id: 'National identity card',
    driving_licence: 'Driving licence',
    residence_permit: 'Residence permit',
  },
};

export const valueOptions = (path: string): [string, string][] => Object.entries(valueLabels[path] ?? {});

/** `natural.document.number` → "Document number"; array indices are skipped (`social.accounts.0`). */
export function fieldLabel(path: string): string {
  const plain = path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');
  return fieldLabels[plain] ?? words(plain.split('.').pop() ?? plain);
}

/** A value as the registrar reads it: codes in words, lists one item after another. */
export function shownValue(path: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return valueLabels[path]?.[value] ?? value;
  if (Array.isArray(value)) return value.map((item) => shownValue(path, item)).join('; ');
  if (typeof value === 'object') return Object.values(value).map(String).join(' ');
  return String(value);
}

/**
 * A group's value as labelled leaves: nested objects (the identity document) are opened, so each
 * of their fields has its own label; lists stay one entry.
 */
export function leaves(group: string, value: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (prefix: string, object: Record<string, unknown>) => {
    for (const [key, inner] of Object.entries(object)) {
      const path = `${prefix}.${key}`;
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        walk(path, inner as Record<string, unknown>);
      else out.push([path, inner]);
    }
  };
  walk(group, value);
  return out;
}

/** The API's rule, without the field it names, in plainer words where its wording is a schema's. */
export function ruleOf(error: ApiError): string {
  const field = error.field ?? '';
  const named = [`${field}: `, `${field} `].find(
    (prefix) => field !== '' && error.message.startsWith(prefix),
  );
  const rule = named === undefined ? error.message : error.message.slice(named.length);
  const format = /^must match format "(.+)"$/.exec(rule)?.[1];
  if (format === 'date') return 'must be a real date, written YYYY-MM-DD';
  if (format === 'email') return 'must be an email address';
  return rule;
}

/**
 * The form control an error's field belongs to: the control of that path, else the one holding it
 * (`social.accounts.1.handle` → `social.accounts`), else the first inside it (`natural.document`
 * → `natural.document.type`).
 */
export function controlFor(field: string | undefined, paths: string[]): string | undefined {
  if (field === undefined) return undefined;
  if (paths.includes(field)) return field;
  const holder = paths.filter((path) => field.startsWith(`${path}.`)).sort((a, b) => b.length - a.length)[0];
  return holder ?? paths.find((path) => path.startsWith(`${field}.`));
}

/**
 * Every field a 400 names (its `fields` where the API checked the body whole, else its one
 * `field`) that belongs to a control of the form: the control and the sentence to show there, in
 * the form's order, one per control (the first of those landing on it).
 */
export function refusalsAt(error: unknown, paths: string[]): { path: string; message: string }[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const listed = Array.isArray(error.details.fields) ? (error.details.fields as unknown[]) : [];
  const named = listed.flatMap((item) => {
    const { field, message } = (item ?? {}) as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || typeof message !== 'string') return [];
    return [new ApiError({ status: 400, code: error.code, message, field })];
  });
  const out: { path: string; message: string }[] = [];
  for (const one of named.length > 0 ? named : [error]) {
    const refusal = refusalAt(one, paths);
    if (refusal !== undefined && !out.some((r) => r.path === refusal.path)) out.push(refusal);
  }
  return out.sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path));
}

/** A 400 that names a field of the form: the control it belongs to and the sentence to show there. */
export function refusalAt(error: unknown, paths: string[]): { path: string; message: string } | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  const path = controlFor(error.field, paths);
  return path === undefined
    ? undefined
    : { path, message: `${fieldLabel(error.field ?? path)} ${ruleOf(error)}.` };
}

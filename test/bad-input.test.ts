import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { rawBindingPolicyFile } from './_people.ts';
import { forEachStore, organisationEnrolment, personEnrolment } from './_util.ts';

// One test per bad-input rule: the documented status and code, the offending field named where
// there is one, and nothing written.

type Caller = 'registrar' | 'admin' | 'platform';

interface Request {
  method: string;
  url: string;
  as: Caller;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Made in `before`: two enrolled persons, an avatar bound to the first, a revoked principal. */
interface Fixtures {
  person: string;
  other: string;
  revoked: string;
}

interface Case {
  rule: string;
  send: (f: Fixtures) => Request;
  /** Status, error code, and the field the error must name (none when absent). */
  expect: [status: number, error: string, field?: string];
}

const world = 'bad-input';
const boundHandle = 'taken';
const bodyLimitBytes = 4096;
const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;

/** The same ID with one character changed: its check character no longer matches. */
const typo = (id: string) => `${id.slice(0, 10)}${id[10] === 'A' ? 'B' : 'A'}${id.slice(11)}`;
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A deep copy of `value` with dotted paths (`signs.avatarFingerprints.0`) set, or deleted when undefined. */
function edit(value: object, changes: Record<string, unknown>): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const [path, next] of Object.entries(changes)) {
    const keys = path.split('.');
    const last = keys.pop()!;
    let target = copy;
    for (const key of keys) target = target[key] as Record<string, unknown>;
    if (next === undefined) delete target[last];
    else target[last] = next;
  }
  return copy;
}

const enrol =
  (changes: Record<string, unknown>, base: () => object = personEnrolment) =>
  (): Request => ({ method: 'POST', url: '/v1/subjects', as: 'registrar', body: edit(base(), changes) });
const raw =
  (rawBody: string, contentType = 'application/json') =>
  (): Request => ({
    method: 'POST',
    url: '/v1/subjects',
    as: 'registrar',
    rawBody,
    headers: { 'content-type': contentType },
  });
const patch =
  (body: unknown, id = (f: Fixtures) => f.person) =>
  (f: Fixtures): Request => ({
    method: 'PATCH',
    url: `/v1/subjects/${id(f)}/attributes`,
    as: 'registrar',
    body,
  });
const get =
  (url: (f: Fixtures) => string) =>
  (f: Fixtures): Request => ({ method: 'GET', url: url(f), as: 'admin' });
const bind =
  (subject: (f: Fixtures) => string, handle = 'fresh-handle') =>
  (f: Fixtures): Request => ({
    method: 'PUT',
    url: `/v1/worlds/${world}/avatars/${handle}`,
    as: 'platform',
    body: { subject: subject(f) },
  });
const admin =
  (method: string, url: (f: Fixtures) => string, body?: unknown) =>
  (f: Fixtures): Request => ({ method, url: url(f), as: 'admin', body });

const invalid = (field: string): Case['expect'] => [400, 'invalid_request', field];
const malformedId = (field: string): Case['expect'] => [400, 'malformed_id', field];

// Enrolment fields: each bad value is refused naming the field it was put in.
const badFields: [field: string, value: unknown, why: string, base?: () => object][] = [
  ['natural.birthDate', 19900401, 'a number'],
  ['natural.birthDate', undefined, 'missing'],
  ['natural.birthDate', '2023-02-30', 'a day that does not exist'],
  ['natural.birthDate', nextYear, 'in the future'],
  ['natural.birthDate', '1899-12-31', 'before 1900'],
  ['natural.foundedOn', nextYear, 'in the future', organisationEnrolment],
  ['natural.document.expiresOn', '2030-13-01', 'in month 13'],
  ['natural.document.colour', 'red', 'an unknown nested field'],
  ['natural.sex', 'Q', 'not F, M or X'],
  ['natural.givenName', 'x'.repeat(101), 'over 100 characters'],
  ['natural.givenName', '', 'empty'],
  ['natural.familyName', 'Riv\u0000ers', 'a NUL'],
  ['natural.familyName', 42, 'a number'],
  ['natural.nationality', 'XX', 'unassigned'],
  ['natural.nationality', 'gb', 'lower case'],
  ['natural.document.issuingCountry', 'UK', 'UK (the code is GB)'],
  ['natural.jurisdiction', 'EU', 'EU (not a country)', organisationEnrolment],
  ['natural.jurisdiction', 'GB-ENGLAND', 'a subdivision code too long', organisationEnrolment],
  ['natural', undefined, 'missing'],
  ['social.phone', '07700 900123', 'not E.164'],
  ['social.email', 'tom.example.org', 'without @'],
  ['signs.avatarFingerprints.0', 'z'.repeat(64), 'not hex'],
  ['colour', 'red', 'an unknown top-level field'],
  ['kind', undefined, 'missing'],
  ['kind', 'robot', 'unknown'],
];

// Query strings: each bad parameter is named.
const badQueries: [url: (f: Fixtures) => string, field: string, why: string][] = [
  [(f) => `/v1/subjects/${f.person}?colour=red`, 'colour', 'an unknown parameter'],
  [(f) => `/v1/subjects/${f.person}?history=maybe`, 'history', 'not a boolean'],
  [() => '/v1/principals?role=admin', 'role', 'an unknown parameter on a list'],
  [() => '/v1/principals?limit=0', 'limit', '0'],
  [() => '/v1/principals?limit=501', 'limit', 'over 500'],
  [() => '/v1/principals?limit=ten', 'limit', 'not a number'],
  [() => '/v1/principals?cursor=not-a-cursor', 'cursor', 'not base64 JSON'],
  [() => `/v1/principals?cursor=${cursor(['x'])}`, 'cursor', 'too few parts'],
  [() => `/v1/principals?cursor=${cursor([1, 2])}`, 'cursor', 'parts of the wrong type'],
  [() => `/v1/principals?cursor=${'a'.repeat(513)}`, 'cursor', 'over 512 characters'],
  // PostgreSQL cannot hold a NUL nor take these numbers: a 400 on both stores, never a 500 on one.
  [() => `/v1/principals?cursor=${cursor(['2026-01-01', 'prn_\u0000'])}`, 'cursor', 'a NUL in a part'],
  [() => `/v1/credit/ranking?kind=person&cursor=${cursor([1.5, 'MD'])}`, 'cursor', 'a score of 1.5'],
  [
    () => `/v1/credit/ranking?kind=person&cursor=${Buffer.from('[1e400,"MD"]').toString('base64url')}`,
    'cursor',
    'a score of 1e400',
  ],
  [
    () =>
      `/v1/credit/ranking?kind=person&cursor=${Buffer.from('[9007199254740993,"MD"]').toString('base64url')}`,
    'cursor',
    'a score of 2^53 + 1',
  ],
  [() => '/v1/principals?cursor=%00', 'cursor', 'a NUL as the cursor'],
  [() => '/v1/cases?world=pl%00za', 'world', 'a NUL in a filter'],
];

const cases: Case[] = [
  ...badFields.map(
    ([field, value, why, base]): Case => ({
      rule: `${field}: ${why}`,
      send: enrol({ [field]: value }, base),
      expect: invalid(field),
    }),
  ),
  ...badQueries.map(
    ([url, field, why]): Case => ({ rule: `query ${field}: ${why}`, send: get(url), expect: invalid(field) }),
  ),
  // The body as a whole
  { rule: 'malformed JSON', send: raw('{"kind": "person",'), expect: [400, 'invalid_json'] },
  { rule: 'an empty body sent as JSON', send: raw(''), expect: [400, 'invalid_json'] },
  {
    rule: 'a __proto__ key',
    send: raw('{"__proto__": {"a": 1}, "kind": "person"}'),
    expect: [400, 'invalid_json'],
  },
  {
    rule: 'JSON sent as text/plain',
    send: raw(JSON.stringify(personEnrolment()), 'text/plain'),
    expect: [415, 'unsupported_media_type'],
  },
  {
    rule: 'a form instead of JSON',
    send: raw('kind=person', 'application/x-www-form-urlencoded'),
    expect: [415, 'unsupported_media_type'],
  },
  { rule: 'a JSON array instead of an object', send: raw('[]'), expect: invalid('body') },
  {
    rule: `a body over ${bodyLimitBytes} bytes`,
    send: enrol({ 'natural.legalName': 'x'.repeat(bodyLimitBytes) }),
    expect: [413, 'payload_too_large'],
  },
  {
    rule: 'organisation fields with kind person',
    send: enrol({ kind: 'person' }, organisationEnrolment),
    expect: invalid('natural.birthDate'),
  },
  // Digital IDs
  {
    rule: 'an ID with a wrong check character',
    send: get((f) => `/v1/subjects/${typo(f.person)}`),
    expect: malformedId('id'),
  },
  { rule: 'an ID too short', send: get(() => '/v1/subjects/MD123'), expect: malformedId('id') },
  {
    rule: 'a mistyped ID in the PATCH path',
    send: patch({ social: { occupation: 'Baker' } }, (f) => typo(f.person)),
    expect: malformedId('id'),
  },
  {
    rule: 'a mistyped subject in an avatar binding',
    send: bind((f) => typo(f.person)),
    expect: malformedId('subject'),
  },
  {
    rule: 'a subject too short in an avatar binding',
    send: bind(() => 'MD42'),
    expect: malformedId('subject'),
  },
  // Attribute changes
  { rule: 'PATCH with an empty object', send: patch({}), expect: invalid('body') },
  { rule: 'PATCH of an unknown group', send: patch({ colour: { red: true } }), expect: invalid('colour') },
  {
    rule: 'PATCH removing a required field',
    send: patch({ natural: { birthDate: null } }),
    expect: invalid('natural.birthDate'),
  },
  {
    rule: 'PATCH of an organisation field on a person',
    send: patch({ natural: { registrationNumber: 'REG-1' } }),
    expect: invalid('natural.registrationNumber'),
  },
  {
    rule: 'PATCH with a given name over 100 characters',
    send: patch({ natural: { givenName: 'x'.repeat(101) } }),
    expect: invalid('natural.givenName'),
  },
  {
    rule: 'PATCH with a NUL in a family name',
    send: patch({ natural: { familyName: 'Riv\u0000ers' } }),
    expect: invalid('natural.familyName'),
  },
  {
    rule: 'PATCH with a bad phone',
    send: patch({ social: { phone: '12345' } }),
    expect: invalid('social.phone'),
  },
  // A NUL character anywhere: a path id, a name, a world id
  { rule: 'a NUL in a path id', send: get(() => '/v1/cases/cas_%00'), expect: invalid('id') },
  {
    rule: 'a NUL in a principal name',
    send: admin('POST', () => '/v1/principals', { role: 'auditor', name: 'a\u0000b' }),
    expect: invalid('name'),
  },
  {
    rule: 'a NUL in a world name',
    send: admin('POST', () => '/v1/worlds', { id: 'nul-world', name: 'W\u0000' }),
    expect: invalid('name'),
  },
  {
    rule: 'a NUL in a handle in the path',
    send: bind((f) => f.person, 'nul%00handle'),
    expect: invalid('handle'),
  },
  // Worlds, principals and conflicts
  {
    rule: 'a world id with a space',
    send: admin('POST', () => '/v1/worlds', { id: 'my world', name: 'W' }),
    expect: invalid('id'),
  },
  {
    rule: 'creating an existing world',
    send: admin('POST', () => '/v1/worlds', { id: world, name: 'Again' }),
    expect: [409, 'world_exists'],
  },
  {
    rule: 'an unknown role',
    send: admin('POST', () => '/v1/principals', { role: 'king' }),
    expect: invalid('role'),
  },
  {
    rule: 'a platform without its world',
    send: admin('POST', () => '/v1/principals', { role: 'platform' }),
    expect: invalid('world'),
  },
  {
    rule: 'rebinding a handle to another subject',
    send: bind((f) => f.other, boundHandle),
    expect: [409, 'avatar_bound'],
  },
  {
    rule: 'revoking twice',
    send: admin('POST', (f) => `/v1/principals/${f.revoked}/revoke`),
    expect: [409, 'already_revoked'],
  },
  {
    rule: 'revoking an unknown principal',
    send: admin('POST', () => '/v1/principals/prn_0000000000000000/revoke'),
    expect: [404, 'principal_not_found'],
  },
];

// Avatar paths: each malformed world id or handle, on both methods, names its parameter.
const badPathParts: [part: 'world' | 'handle', value: string, why: string][] = [
  ['handle', 'Tom', 'upper case'],
  ['handle', 'a'.repeat(65), 'too long'],
  ['handle', 'tom%20smith', 'with a space'],
  ['world', 'Bad-Input', 'upper case'],
  ['world', 'w'.repeat(41), 'too long'],
  ['world', 'bad%20input', 'with a space'],
];
for (const method of ['PUT', 'GET']) {
  for (const [part, value, why] of badPathParts) {
    const path = part === 'world' ? `${value}/avatars/tom` : `${world}/avatars/${value}`;
    cases.push({
      rule: `${method} avatar path, ${part}: ${why}`,
      send: (f) => ({
        method,
        url: `/v1/worlds/${path}`,
        as: 'platform',
        body: method === 'PUT' ? { subject: f.person } : undefined,
      }),
      expect: invalid(part),
    });
  }
}

forEachStore(
  'bad input',
  (h) => {
    const tokens = {} as Record<Caller, string>;
    const fixtures: Fixtures = { person: '', other: '', revoked: '' };

    before(async () => {
      tokens.registrar = await h.token({ role: 'registrar' });
      tokens.admin = await h.token({ role: 'admin' });
      const created = await h.call('POST', '/v1/worlds', {
        token: tokens.admin,
        body: { id: world, name: 'W' },
      });
      tokens.platform = created.body.platform.token;
      for (const key of ['person', 'other'] as const) {
        const enrolled = await h.call('POST', '/v1/subjects', {
          token: tokens.registrar,
          body: personEnrolment(),
        });
        assert.equal(enrolled.status, 201);
        fixtures[key] = enrolled.body.id;
      }
      await h.ctx.avatars.bind({ world, handle: boundHandle, subject: fixtures.person }, 'test');
      fixtures.revoked = (await h.ctx.principals.create({ role: 'auditor' })).principal.id;
      await h.ctx.principals.revoke(fixtures.revoked);
    });

    for (const { rule, send, expect } of cases) {
      const [status, error, field] = expect;
      test(`${rule} → ${status} ${error}${field === undefined ? '' : ` naming ${field}`}`, async () => {
        const { as, method, url, ...options } = send(fixtures);
        const before = await h.snapshot();
        const reply = await h.call(method, url, { token: tokens[as], ...options });
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(reply.body.error, error);
        assert.equal(typeof reply.body.message, 'string');
        assert.ok(reply.body.message.length > 0, 'the message is empty');
        assert.equal(reply.body.field, field);
        assert.equal(await h.snapshot(), before, 'a refused request wrote to the store');
      });
    }
  },
  // The migration-only raw binding on: its route's bad input is tested here too.
  { config: { bodyLimitBytes, policyFile: rawBindingPolicyFile() } },
);

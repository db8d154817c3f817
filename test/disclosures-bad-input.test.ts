import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { accessFixture, MovableClock, warrant } from './_access.ts';
import { forEachStore } from './_util.ts';

// Lawful access, one test per bad-input rule: 400 with the field named, and nothing written at
// all (a malformed request is not a request the policy refused, so not even the log grows).

type Caller = 'authority' | 'oversight' | 'subject' | 'public';

interface Case {
  rule: string;
  method?: string;
  url?: string | ((pending: string) => string);
  as?: Caller;
  body?: unknown;
  expect: [error: string, field: string];
}

const clock = new MovableClock();
const valid = warrant(clock);

/** The valid request with dotted paths set, or deleted when undefined. */
function edit(changes: Record<string, unknown>): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
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

const invalid = 'invalid_request';
const cases: Case[] = [
  {
    rule: 'a legal basis is required',
    body: edit({ legalBasis: undefined }),
    expect: [invalid, 'legalBasis'],
  },
  {
    rule: 'the basis says when it expires',
    body: edit({ 'legalBasis.expiresAt': undefined }),
    expect: [invalid, 'legalBasis.expiresAt'],
  },
  {
    rule: 'expiry is a date-time',
    body: edit({ 'legalBasis.expiresAt': 'next Tuesday' }),
    expect: [invalid, 'legalBasis.expiresAt'],
  },
  {
    rule: 'a known kind of basis',
    body: edit({ 'legalBasis.kind': 'hunch' }),
    expect: [invalid, 'legalBasis.kind'],
  },
  {
    rule: 'the basis has a reference',
    body: edit({ 'legalBasis.reference': '' }),
    expect: [invalid, 'legalBasis.reference'],
  },
  {
    rule: 'and an issuer',
    body: edit({ 'legalBasis.issuedBy': undefined }),
    expect: [invalid, 'legalBasis.issuedBy'],
  },
  { rule: 'a target is required', body: edit({ target: undefined }), expect: [invalid, 'target'] },
  { rule: 'a world needs a handle', body: edit({ 'target.handle': undefined }), expect: [invalid, 'target'] },
  { rule: 'an empty target', body: edit({ target: {} }), expect: [invalid, 'target'] },
  {
    rule: 'an avatar or a subject, not both',
    body: edit({ 'target.subject': 'MD7K2Q9XVBW4T1R8N6PJHC3' }),
    expect: [invalid, 'target'],
  },
  {
    rule: 'a subject id with a bad check character',
    body: edit({ target: { subject: 'MD7K2Q9XVBW4T1R8N6PJHCX' } }),
    expect: ['malformed_id', 'target.subject'],
  },
  {
    rule: 'a handle in the handle alphabet',
    body: edit({ 'target.handle': 'Tom!' }),
    expect: [invalid, 'target.handle'],
  },
  { rule: 'a scope is not empty', body: edit({ scope: [] }), expect: [invalid, 'scope'] },
  { rule: 'scope names attribute groups', body: edit({ scope: ['dna'] }), expect: [invalid, 'scope.0'] },
  { rule: 'each group once', body: edit({ scope: ['natural', 'natural'] }), expect: [invalid, 'scope'] },
  {
    rule: 'the offence is a category of the policy',
    body: edit({ offence: 'jaywalking' }),
    expect: [invalid, 'offence'],
  },
  { rule: 'a purpose is required', body: edit({ purpose: undefined }), expect: [invalid, 'purpose'] },
  {
    rule: 'a purpose of reasonable length',
    body: edit({ purpose: 'x'.repeat(2001) }),
    expect: [invalid, 'purpose'],
  },
  { rule: 'no unknown fields', body: edit({ priority: 'high' }), expect: [invalid, 'priority'] },
  { rule: 'a case id has its form', body: edit({ case: 'dsc_0000000000000000' }), expect: [invalid, 'case'] },
  { rule: 'a case id is a string', body: edit({ case: 42 }), expect: [invalid, 'case'] },
  {
    rule: 'a decision gives a reason',
    method: 'POST',
    url: (pending) => `/v1/disclosures/${pending}/approve`,
    as: 'oversight',
    body: {},
    expect: [invalid, 'reason'],
  },
  {
    rule: 'a disclosure id has its form',
    method: 'POST',
    url: '/v1/disclosures/case_0000000000000000/refuse',
    as: 'oversight',
    body: { reason: 'No' },
    expect: [invalid, 'id'],
  },
  {
    rule: 'a known status',
    method: 'GET',
    url: '/v1/disclosures?status=lost',
    as: 'oversight',
    expect: [invalid, 'status'],
  },
  {
    rule: 'overdue is a boolean',
    method: 'GET',
    url: '/v1/disclosures?overdue=maybe',
    as: 'oversight',
    expect: [invalid, 'overdue'],
  },
  {
    rule: 'a cursor this server made',
    method: 'GET',
    url: '/v1/me/disclosures?cursor=e30',
    as: 'subject',
    expect: [invalid, 'cursor'],
  },
  {
    rule: 'a report’s period is made of dates',
    method: 'GET',
    url: '/v1/transparency/report?from=yesterday',
    as: 'public',
    expect: [invalid, 'from'],
  },
  {
    rule: 'a report’s period starts before it ends',
    method: 'GET',
    url: '/v1/transparency/report?from=2026-06-01&to=2026-01-01',
    as: 'public',
    expect: [invalid, 'from'],
  },
];

forEachStore(
  'lawful access: bad input',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    let pending: string;
    before(async () => {
      f = await accessFixture(h);
      const asked = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: await f.withCase(valid),
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      pending = asked.body.id;
    });

    for (const c of cases) {
      test(`${c.rule}: 400 ${c.expect[0]} naming ${c.expect[1]}, nothing written`, async () => {
        const tokens: Record<Caller, string | undefined> = {
          authority: f.authority,
          oversight: f.oversight,
          subject: f.subject,
          public: undefined,
        };
        const url = typeof c.url === 'function' ? c.url(pending) : (c.url ?? '/v1/disclosures');
        const untouched = await h.snapshot();
        const reply = await h.call(c.method ?? 'POST', url, {
          token: tokens[c.as ?? 'authority'],
          body: c.body,
        });
        assert.equal(reply.status, 400, JSON.stringify(reply.body));
        assert.equal(reply.body.error, c.expect[0]);
        assert.equal(reply.body.field, c.expect[1], reply.body.message);
        assert.equal(await h.snapshot(), untouched, 'a rejected request wrote to the store');
      });
    }
  },
  { now: clock.now },
);

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { newDigitalId } from '../src/identity/digital-id.ts';
import { dayMs } from '../src/util/time.ts';
import { report } from './_fixtures.ts';
import { forEachStore, personEnrolment } from './_util.ts';

// Conduct and enforcement, one test per bad-input rule: the documented status and code, the
// offending field named where there is one, and nothing written.

type Caller = 'platform' | 'moderator' | 'subject' | 'service';

interface Request {
  method: string;
  url: string;
  as: Caller;
  body?: unknown;
}

/** Made in `before`; the factories make what one request consumes, before its snapshot. */
interface Fixtures {
  /** Tom, bound to `tom` in `world`; the `subject` caller. */
  tom: string;
  /** Another enrolled subject. */
  other: string;
  /** A new open case about Tom (or about `subject`), in `category`. */
  openCase(options?: { category?: string; subject?: string }): Promise<string>;
  /** A new case about Tom, upheld at severity 1. */
  upheldCase(): Promise<string>;
  dismissedCase(): Promise<string>;
  /** A new upheld case that Tom has appealed. */
  appealedCase(): Promise<string>;
  /** A new case whose appeal was heard and the decision upheld: closed. */
  closedCase(): Promise<string>;
  /** A new active warning on Tom. */
  activeSanction(): Promise<string>;
  /** A new warning on Tom, already lifted. */
  liftedSanction(): Promise<string>;
  /** Moves the server's clock on, for this test only. */
  advanceDays(days: number): void;
}

interface Case {
  rule: string;
  send: (f: Fixtures) => Request | Promise<Request>;
  /** Status, error code, and the field the error must name (none when absent). */
  expect: [status: number, error: string, field?: string];
}

/** How far the server's clock runs ahead of the real one; reset after each test. */
const clock = { offsetMs: 0 };
const world = 'conduct-bad';
const away = 'conduct-away';
const inADay = new Date(Date.now() + dayMs).toISOString();
const minuteAgo = new Date(Date.now() - 60_000).toISOString();

/** The same ID with one character changed: its check character no longer matches. */
const typo = (id: string) => `${id.slice(0, 10)}${id[10] === 'A' ? 'B' : 'A'}${id.slice(11)}`;
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const times = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));

/** A deep copy of `value` with dotted paths (`evidence.0.uri`) set, or deleted when undefined. */
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

const evidence = { sha256: 'b'.repeat(64), uri: 'https://evidence.example/plaza/123' };
const event = (id: string, changes: Record<string, unknown> = {}) =>
  edit(
    { id, world, handle: 'tom', category: 'helping_others', severity: 1, occurredAt: minuteAgo },
    changes,
  ) as Record<string, unknown>;
const decision = { outcome: 'upheld', severity: 1, rationale: 'Seen by three witnesses' };
const sanction = { kind: 'warning', reason: 'Warned by a moderator' };

const invalid = (field: string): Case['expect'] => [400, 'invalid_request', field];

const fileReport = (changes: Record<string, unknown>) => (): Request => ({
  method: 'POST',
  url: '/v1/reports',
  as: 'platform',
  body: edit(report(world, 'alice'), changes),
});
const postEvents =
  (events: unknown[], query = '') =>
  (): Request => ({ method: 'POST', url: `/v1/events${query}`, as: 'platform', body: { events } });
const decide =
  (body: Record<string, unknown>, caseId: (f: Fixtures) => Promise<string> = (f) => f.openCase()) =>
  async (f: Fixtures): Promise<Request> => ({
    method: 'POST',
    url: `/v1/cases/${await caseId(f)}/decision`,
    as: 'moderator',
    body,
  });
const appeal =
  (caseId: (f: Fixtures) => Promise<string>, body: unknown = { reason: 'I was elsewhere' }) =>
  async (f: Fixtures): Promise<Request> => ({
    method: 'POST',
    url: `/v1/cases/${await caseId(f)}/appeal`,
    as: 'subject',
    body,
  });
const decideAppeal =
  (caseId: (f: Fixtures) => Promise<string>, outcome = 'overturned') =>
  async (f: Fixtures): Promise<Request> => ({
    method: 'POST',
    url: `/v1/cases/${await caseId(f)}/appeal/decision`,
    as: 'moderator',
    body: { outcome, rationale: 'Reviewed' },
  });
const impose =
  (changes: Record<string, unknown>) =>
  (f: Fixtures): Request => ({
    method: 'POST',
    url: '/v1/sanctions',
    as: 'moderator',
    body: edit({ subject: f.tom, ...sanction }, changes),
  });
const lift =
  (id: (f: Fixtures) => string | Promise<string>, body: unknown = { reason: 'Served' }) =>
  async (f: Fixtures): Promise<Request> => ({
    method: 'POST',
    url: `/v1/sanctions/${await id(f)}/lift`,
    as: 'moderator',
    body,
  });
const get =
  (url: (f: Fixtures) => string, as: Caller = 'moderator') =>
  (f: Fixtures): Request => ({ method: 'GET', url: url(f), as });
const checkAs =
  (as: Caller, query: (f: Fixtures) => string) =>
  (f: Fixtures): Request => ({ method: 'GET', url: `/v1/eligibility?${query(f)}`, as });

// Report fields: each bad value is refused naming the field it was put in.
const badReportFields: [field: string, value: unknown, why: string][] = [
  ['category', 'littering', 'not a category of the policy'],
  ['category', 'helping_others', 'positive conduct (sent as an event, not a report)'],
  ['category', undefined, 'missing'],
  ['occurredAt', inADay, 'in the future'],
  ['occurredAt', '2026-13-01T00:00:00Z', 'not a date-time'],
  ['evidence.0.sha256', 'B'.repeat(64), 'upper-case hex'],
  ['evidence.0.sha256', 'b'.repeat(63), 'too short'],
  ['evidence.0.uri', 'not a uri', 'not a URI'],
  ['evidence.0.uri', '/plaza/123', 'a relative reference'],
  ['evidence.0.colour', 'red', 'an unknown field in an evidence item'],
  ['evidence', times(21, () => evidence), 'over 20 items'],
  ['description', '', 'empty'],
  ['reporter', 'Alice Smith', 'not a handle'],
  ['colour', 'red', 'an unknown field'],
];

// Query strings of the lists: each bad parameter is named.
const badQueries: [url: string, field: string, why: string][] = [
  ['/v1/cases?cursor=not-a-cursor', 'cursor', 'not base64 JSON'],
  [`/v1/cases?cursor=${cursor(['2026-01-01T00:00:00.000Z'])}`, 'cursor', 'too few parts'],
  [`/v1/cases?cursor=${cursor([1, 2])}`, 'cursor', 'parts of the wrong type'],
  ['/v1/cases?status=pending', 'status', 'not a case status'],
  ['/v1/cases?world=Plaza%20Two', 'world', 'not a world id'],
  ['/v1/cases?limit=0', 'limit', '0'],
  ['/v1/cases?colour=red', 'colour', 'an unknown parameter'],
  ['/v1/sanctions?cursor=not-a-cursor', 'cursor', 'not base64 JSON'],
  ['/v1/sanctions?status=revoked', 'status', 'not a sanction status'],
];

// Sanctions imposed directly: each bad shape is named.
const badSanctions: [changes: Record<string, unknown>, field: string, why: string][] = [
  [{ kind: 'suspension' }, 'world', 'a suspension without its world'],
  [{ kind: 'mute' }, 'world', 'a mute without its world'],
  [{ kind: 'ban', world }, 'world', 'a ban given a world'],
  [{ kind: 'restriction' }, 'actions', 'a restriction without actions'],
  [{ kind: 'restriction', actions: [] }, 'actions', 'a restriction with no actions'],
  [{ kind: 'restriction', actions: ['travel.space'] }, 'actions', 'an action not in the policy'],
  [{ actions: ['travel.air'] }, 'actions', 'a warning given actions'],
  [{ kind: 'exile' }, 'kind', 'an unknown kind'],
  [{ days: 0 }, 'days', '0 days'],
  [{ days: -1 }, 'days', 'negative days'],
  [{ days: 1.5 }, 'days', 'a fraction of a day'],
  [{ days: 36501 }, 'days', 'over 100 years'],
  [{ days: '7' }, 'days', 'days as text'],
  [{ endsAt: inADay }, 'endsAt', 'an end given as endsAt (the API takes days)'],
  [{ reason: undefined }, 'reason', 'no reason'],
  [{ caseId: 'case_1' }, 'caseId', 'a malformed case id'],
];

// Decisions: each bad decision of an open case is named.
const badDecisions: [body: Record<string, unknown>, field: string, why: string][] = [
  [{ ...decision, severity: undefined }, 'severity', 'upheld without severity'],
  [{ ...decision, severity: 4 }, 'severity', 'severity above the category’s max (3)'],
  [{ ...decision, severity: 0 }, 'severity', 'severity 0'],
  [{ outcome: 'dismissed', severity: 1, rationale: 'x' }, 'severity', 'dismissed with a severity'],
  [{ outcome: 'dismissed', rationale: 'x', sanctions: [sanction] }, 'sanctions', 'dismissed with sanctions'],
  [
    { ...decision, sanctions: [{ kind: 'restriction', actions: ['travel.space'] }] },
    'sanctions.0.actions',
    'a sanction with an unknown action',
  ],
  [{ ...decision, sanctions: [{ kind: 'ban', world }] }, 'sanctions.0.world', 'a ban given a world'],
  [
    { ...decision, sanctions: [{ kind: 'restriction' }] },
    'sanctions.0.actions',
    'a restriction without actions',
  ],
  [
    { ...decision, sanctions: [sanction, { kind: 'mute', actions: ['world.chat'] }] },
    'sanctions.1.actions',
    'a mute given actions, second in the list',
  ],
  [{ ...decision, sanctions: [{ kind: 'warning', days: 0 }] }, 'sanctions.0.days', 'a sanction of 0 days'],
  [{ ...decision, sanctions: times(11, () => sanction) }, 'sanctions', 'over 10 sanctions'],
  [{ ...decision, outcome: 'guilty' }, 'outcome', 'an unknown outcome'],
  [{ ...decision, rationale: undefined }, 'rationale', 'no rationale'],
  [{ ...decision, colour: 'red' }, 'colour', 'an unknown field'],
];

// Eligibility checks, as a service holding travel.air and world.enter or as the world's platform.
const badChecks: [as: Caller, query: (f: Fixtures) => string, expect: Case['expect'], why: string][] = [
  [
    'service',
    (f) => `subject=${f.tom}&action=finance.credit`,
    [403, 'forbidden'],
    'an action outside its scope',
  ],
  [
    'service',
    (f) => `subject=${f.tom}&action=travel.space`,
    invalid('action'),
    'an action not in the policy',
  ],
  [
    'platform',
    (f) => `subject=${f.tom}&action=travel.space`,
    invalid('action'),
    'an action not in the policy',
  ],
  [
    'service',
    (f) => `subject=${f.tom}&action=world.enter`,
    invalid('world'),
    'a world action without its world',
  ],
  [
    'platform',
    (f) => `subject=${f.tom}&action=world.enter&world=${away}`,
    [403, 'forbidden'],
    'another world',
  ],
  [
    'platform',
    (f) => `subject=${f.tom}&action=travel.air`,
    [403, 'forbidden'],
    'an action outside the worlds',
  ],
  [
    'service',
    () => `subject=${newDigitalId()}&action=travel.air`,
    [404, 'subject_not_found'],
    'an unknown subject',
  ],
  [
    'service',
    (f) => `subject=${typo(f.tom)}&action=travel.air`,
    [400, 'malformed_id', 'subject'],
    'a mistyped subject',
  ],
  ['service', (f) => `subject=${f.tom}`, invalid('action'), 'no action'],
  ['service', () => 'action=travel.air', invalid('subject'), 'no subject'],
  [
    'service',
    (f) => `subject=${f.tom}&action=travel.air&colour=red`,
    invalid('colour'),
    'an unknown parameter',
  ],
];

const cases: Case[] = [
  // Reports
  ...badReportFields.map(
    ([field, value, why]): Case => ({
      rule: `report ${field}: ${why}`,
      send: fileReport({ [field]: value }),
      expect: invalid(field),
    }),
  ),
  {
    rule: 'report about an avatar of another world',
    send: fileReport({ world: away }),
    expect: [403, 'forbidden'],
  },
  {
    rule: 'report about an unbound handle',
    send: fileReport({ handle: 'nobody' }),
    expect: [404, 'avatar_not_found'],
  },
  // Reports from nobody: the reporter must be another avatar bound in the same world.
  {
    rule: 'report by a handle bound in no world',
    send: fileReport({ reporter: 'nobody-here' }),
    expect: [422, 'reporter_not_bound'],
  },
  {
    rule: 'report by a handle bound in another world only',
    send: fileReport({ reporter: 'elsewhere' }),
    expect: [422, 'reporter_not_bound'],
  },
  {
    rule: 'report by the reported avatar itself',
    send: fileReport({ reporter: 'tom' }),
    expect: [422, 'self_report'],
  },
  // Events, as a whole batch (per-item errors have tests of their own below)
  {
    rule: 'a batch of 1001 events',
    send: postEvents(times(1001, (i) => event(`e${i}`))),
    expect: invalid('events'),
  },
  { rule: 'an empty batch of events', send: postEvents([]), expect: invalid('events') },
  { rule: 'an event that is not an object', send: postEvents(['spam']), expect: invalid('events.0') },
  { rule: 'atomic=maybe', send: postEvents([event('maybe')], '?atomic=maybe'), expect: invalid('atomic') },
  {
    rule: 'an atomic batch with one event of another world',
    send: postEvents([event('good-1'), event('away-1', { world: away })], '?atomic=true'),
    expect: [400, 'batch_rejected'],
  },
  {
    rule: 'an atomic batch with one event above its category’s max severity',
    send: postEvents([event('good-2'), event('spam-3', { category: 'spam', severity: 3 })], '?atomic=true'),
    expect: [400, 'batch_rejected'],
  },
  // Cases
  ...badQueries.map(
    ([url, field, why]): Case => ({
      rule: `query ${url.split('?')[0]} ${field}: ${why}`,
      send: get(() => url),
      expect: invalid(field),
    }),
  ),
  { rule: 'a malformed case id', send: get(() => '/v1/cases/case_1'), expect: invalid('id') },
  {
    rule: 'an unknown case',
    send: get(() => '/v1/cases/case_0000000000000000'),
    expect: [404, 'case_not_found'],
  },
  // Decisions
  ...badDecisions.map(
    ([body, field, why]): Case => ({ rule: `decision: ${why}`, send: decide(body), expect: invalid(field) }),
  ),
  {
    rule: 'decision on a decided case',
    send: decide(decision, (f) => f.upheldCase()),
    expect: [409, 'case_not_open'],
  },
  {
    rule: 'decision on an appealed case',
    send: decide(decision, (f) => f.appealedCase()),
    expect: [409, 'case_not_open'],
  },
  {
    rule: 'decision imposing a mute in an unknown world',
    send: decide({ ...decision, sanctions: [{ kind: 'mute', world: 'nowhere' }] }),
    expect: [404, 'world_not_found'],
  },
  {
    rule: 'decision on an unknown case',
    send: decide(decision, async () => 'case_0000000000000000'),
    expect: [404, 'case_not_found'],
  },
  {
    rule: 'decision on a malformed case id',
    send: decide(decision, async () => 'CASE-1'),
    expect: invalid('id'),
  },
  // Appeals
  { rule: 'a second appeal', send: appeal((f) => f.appealedCase()), expect: [409, 'already_appealed'] },
  {
    rule: 'an appeal after the policy’s 30-day window',
    send: appeal(async (f) => {
      const id = await f.upheldCase();
      f.advanceDays(31);
      return id;
    }),
    expect: [422, 'appeal_window_closed'],
  },
  {
    rule: 'an appeal of a dismissed case',
    send: appeal((f) => f.dismissedCase()),
    expect: [409, 'not_appealable'],
  },
  { rule: 'an appeal of an open case', send: appeal((f) => f.openCase()), expect: [409, 'not_appealable'] },
  {
    rule: 'an appeal of a case about another subject',
    send: appeal((f) => f.openCase({ subject: f.other })),
    expect: [403, 'forbidden'],
  },
  {
    rule: 'an appeal with an empty reason',
    send: appeal((f) => f.upheldCase(), { reason: '' }),
    expect: invalid('reason'),
  },
  {
    rule: 'an appeal with an unknown field',
    send: appeal((f) => f.upheldCase(), { reason: 'I was elsewhere', colour: 'red' }),
    expect: invalid('colour'),
  },
  {
    rule: 'an appeal decision with no pending appeal',
    send: decideAppeal((f) => f.upheldCase()),
    expect: [409, 'no_pending_appeal'],
  },
  {
    rule: 'an appeal decision on an appeal already decided',
    send: decideAppeal((f) => f.closedCase()),
    expect: [409, 'no_pending_appeal'],
  },
  {
    rule: 'an appeal decision with an unknown outcome',
    send: decideAppeal((f) => f.appealedCase(), 'dismissed'),
    expect: invalid('outcome'),
  },
  // Sanctions
  ...badSanctions.map(
    ([changes, field, why]): Case => ({
      rule: `sanction: ${why}`,
      send: impose(changes),
      expect: invalid(field),
    }),
  ),
  {
    rule: 'sanction on an unknown subject',
    send: impose({ subject: newDigitalId() }),
    expect: [404, 'subject_not_found'],
  },
  {
    rule: 'sanction on a mistyped subject',
    send: (f) => impose({ subject: typo(f.tom) })(f),
    expect: [400, 'malformed_id', 'subject'],
  },
  {
    rule: 'sanction in an unknown world',
    send: impose({ kind: 'mute', world: 'nowhere' }),
    expect: [404, 'world_not_found'],
  },
  {
    rule: 'sanction citing an unknown case',
    send: impose({ caseId: 'case_0000000000000000' }),
    expect: [404, 'case_not_found'],
  },
  {
    rule: 'sanction citing a case about another subject',
    send: async (f) => impose({ caseId: await f.openCase({ subject: f.other }) })(f),
    expect: invalid('caseId'),
  },
  {
    rule: 'lifting a lifted sanction',
    send: lift((f) => f.liftedSanction()),
    expect: [409, 'sanction_not_active'],
  },
  {
    rule: 'lifting an unknown sanction',
    send: lift(() => 'snc_0000000000000000'),
    expect: [404, 'sanction_not_found'],
  },
  {
    rule: 'lifting with an unknown field',
    send: lift((f) => f.activeSanction(), { reason: 'Served', colour: 'red' }),
    expect: invalid('colour'),
  },
  { rule: 'lifting a malformed sanction id', send: lift(() => 'snc_1'), expect: invalid('id') },
  {
    rule: 'lifting without a reason',
    send: lift(() => 'snc_0000000000000000', {}),
    expect: invalid('reason'),
  },
  {
    rule: 'listing the sanctions of a mistyped subject',
    send: get((f) => `/v1/sanctions?subject=${typo(f.tom)}`),
    expect: [400, 'malformed_id', 'subject'],
  },
  // Eligibility
  ...badChecks.map(
    ([as, query, expect, why]): Case => ({
      rule: `eligibility as ${as}: ${why}`,
      send: checkAs(as, query),
      expect,
    }),
  ),
  {
    rule: 'an eligibility batch of 1001 checks',
    send: (f) => ({
      method: 'POST',
      url: '/v1/eligibility',
      as: 'service',
      body: { checks: times(1001, () => ({ subject: f.tom, action: 'travel.air' })) },
    }),
    expect: invalid('checks'),
  },
  {
    rule: 'an empty eligibility batch',
    send: () => ({ method: 'POST', url: '/v1/eligibility', as: 'service', body: { checks: [] } }),
    expect: invalid('checks'),
  },
  {
    rule: 'an eligibility check that is not an object',
    send: () => ({
      method: 'POST',
      url: '/v1/eligibility',
      as: 'service',
      body: { checks: [42] },
    }),
    expect: invalid('checks.0'),
  },
];

forEachStore(
  'conduct bad input',
  (h) => {
    const tokens = {} as Record<Caller, string>;
    let counter = 0;

    const fixtures: Fixtures = {
      tom: '',
      other: '',
      async openCase({ category = 'spreading_rumors', subject = fixtures.tom } = {}) {
        // One case is open per avatar and category: a new avatar gets a new case.
        const handle = `case-${++counter}`;
        await h.ctx.avatars.bind({ world, handle, subject }, 'test');
        return (await h.ctx.reports.file({ ...report(world, 'alice', category), handle }, 'test')).caseId;
      },
      async upheldCase() {
        const id = await fixtures.openCase();
        await h.ctx.decisions.decide(id, { outcome: 'upheld', severity: 1, rationale: 'Seen' }, 'test');
        return id;
      },
      async dismissedCase() {
        const id = await fixtures.openCase();
        await h.ctx.decisions.decide(id, { outcome: 'dismissed', rationale: 'Not seen' }, 'test');
        return id;
      },
      async appealedCase() {
        const id = await fixtures.upheldCase();
        await h.ctx.decisions.appeal(id, 'I was elsewhere', fixtures.tom, 'test');
        return id;
      },
      async closedCase() {
        const id = await fixtures.appealedCase();
        // Heard by someone other than who decided (issue 14).
        await h.ctx.decisions.decideAppeal(id, { outcome: 'upheld', rationale: 'Stands' }, 'test-reviewer');
        return id;
      },
      async activeSanction() {
        const input = { subject: fixtures.tom, kind: 'warning', reason: 'Warned', source: 'manual' } as const;
        return (await h.ctx.sanctions.impose(input, 'test')).id;
      },
      async liftedSanction() {
        const id = await fixtures.activeSanction();
        await h.ctx.sanctions.lift(id, 'Served', 'test');
        return id;
      },
      advanceDays(days) {
        clock.offsetMs += days * dayMs;
      },
    };

    before(async () => {
      const admin = await h.token({ role: 'admin' });
      const registrar = await h.token({ role: 'registrar' });
      const created = await h.call('POST', '/v1/worlds', { token: admin, body: { id: world, name: 'W' } });
      tokens.platform = created.body.platform.token;
      await h.ctx.worlds.create({ id: away, name: 'Away' }, 'test');
      for (const key of ['tom', 'other'] as const) {
        const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
        assert.equal(enrolled.status, 201);
        fixtures[key] = enrolled.body.id;
      }
      await h.ctx.avatars.bind({ world, handle: 'tom', subject: fixtures.tom }, 'test');
      // The reporter of every report here, and a handle bound only in the other world.
      await h.ctx.avatars.bind({ world, handle: 'alice', subject: fixtures.other }, 'test');
      await h.ctx.avatars.bind({ world: away, handle: 'elsewhere', subject: fixtures.other }, 'test');
      tokens.moderator = await h.token({ role: 'moderator' });
      tokens.subject = await h.token({ role: 'subject', subject: fixtures.tom });
      tokens.service = await h.token({ role: 'service', actions: ['travel.air', 'world.enter'] });
    });

    for (const { rule, send, expect } of cases) {
      const [status, error, field] = expect;
      test(`${rule} → ${status} ${error}${field === undefined ? '' : ` naming ${field}`}`, async () => {
        try {
          const { as, method, url, body } = await send(fixtures);
          const before = await h.snapshot();
          const reply = await h.call(method, url, { token: tokens[as], body });
          assert.equal(reply.status, status, JSON.stringify(reply.body));
          assert.equal(reply.body.error, error);
          assert.equal(typeof reply.body.message, 'string');
          assert.ok(reply.body.message.length > 0, 'the message is empty');
          assert.equal(reply.body.field, field);
          assert.equal(await h.snapshot(), before, 'a refused request wrote to the store');
        } finally {
          clock.offsetMs = 0;
        }
      });
    }

    test('an appeal on day 29 of the window is heard (the 422 above is the window, not the clock)', async () => {
      try {
        const id = await fixtures.upheldCase();
        fixtures.advanceDays(29);
        const reply = await h.call('POST', `/v1/cases/${id}/appeal`, {
          token: tokens.subject,
          body: { reason: 'I was elsewhere' },
        });
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body.appeal.status, 'pending');
      } finally {
        clock.offsetMs = 0;
      }
    });

    // Per-item errors of a batch that is not atomic: the good items are kept, each bad one answered.
    const badEvents: [
      changes: Record<string, unknown>,
      error: string,
      field: string | undefined,
      why: string,
    ][] = [
      [{ world: away }, 'forbidden', undefined, 'about an avatar of another world'],
      [{ category: 'littering' }, 'invalid_request', 'category', 'of an unknown category'],
      [{ category: 'spam', severity: 3 }, 'invalid_request', 'severity', 'above its category’s max severity'],
      [{ handle: 'nobody' }, 'avatar_not_found', undefined, 'about an unbound handle'],
      [{ occurredAt: inADay }, 'invalid_request', 'occurredAt', 'in the future'],
      [{ severity: 11 }, 'invalid_request', 'severity', 'of severity 11'],
      [{ colour: 'red' }, 'invalid_request', 'colour', 'with an unknown field'],
      [{ id: undefined }, 'invalid_request', 'id', 'without its id'],
      [{ id: 'nul\u0000id' }, 'invalid_request', 'id', 'with a NUL in its id'],
      [{ handle: 'to\u0000m' }, 'invalid_request', 'handle', 'with a NUL in its handle'],
    ];

    test('a batch with bad events keeps the good ones and answers each bad one', async () => {
      const good = [event('kept-positive'), event('kept-negative', { category: 'spam', severity: 2 })];
      const bad = badEvents.map(([changes], i) => event(`refused-${i}`, changes));
      const reply = await h.call('POST', '/v1/events', {
        token: tokens.platform,
        body: { events: [good[0], ...bad, good[1]] },
      });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.deepEqual(
        { accepted: reply.body.accepted, duplicates: reply.body.duplicates, rejected: reply.body.rejected },
        { accepted: 2, duplicates: 0, rejected: bad.length },
      );
      const results = reply.body.results;
      assert.equal(results[0].status, 'accepted');
      assert.equal(results.at(-1).status, 'accepted');
      for (const [i, [, error, field, why]] of badEvents.entries()) {
        const result = results[i + 1];
        assert.equal(result.index, i + 1);
        assert.equal(result.status, 'rejected', why);
        assert.equal(result.error, error, why);
        assert.equal(result.field, field, why);
        assert.ok(result.message.length > 0, why);
      }
      const rows = await h.ctx.db
        .selectFrom('conduct_events')
        .select(['external_id', 'polarity', 'subject_id'])
        .where(
          'external_id',
          'in',
          // An id with a NUL is not even a value PostgreSQL can compare: it was not written.
          [...good, ...bad].flatMap((e) =>
            e.id === undefined || String(e.id).includes('\u0000') ? [] : [e.id as string],
          ),
        )
        .orderBy('external_id')
        .execute();
      assert.deepEqual(rows, [
        { external_id: 'kept-negative', polarity: 'negative', subject_id: fixtures.tom },
        { external_id: 'kept-positive', polarity: 'positive', subject_id: fixtures.tom },
      ]);
    });

    test('an atomic batch names the items that failed and writes none', async () => {
      const before = await h.snapshot();
      const reply = await h.call('POST', '/v1/events?atomic=true', {
        token: tokens.platform,
        body: { events: [event('atomic-good'), event('atomic-bad', { category: 'littering' })] },
      });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error, 'batch_rejected');
      assert.deepEqual(
        reply.body.results.map((r: { status: string; error: string }) => `${r.status}/${r.error}`),
        ['rejected/batch_rejected', 'rejected/invalid_request'],
      );
      assert.equal(await h.snapshot(), before);
    });

    test('an event sent again is a duplicate and recorded once', async () => {
      const batch = { events: [event('twice')] };
      const first = await h.call('POST', '/v1/events', { token: tokens.platform, body: batch });
      assert.equal(first.body.results[0].status, 'accepted');
      const before = await h.snapshot();
      const again = await h.call('POST', '/v1/events', { token: tokens.platform, body: batch });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body.results, [
        { index: 0, status: 'duplicate', eventId: first.body.results[0].eventId },
      ]);
      assert.equal(again.body.duplicates, 1);
      assert.equal(await h.snapshot(), before, 'a duplicate wrote to the store');
    });

    test('an event twice in one batch is recorded once', async () => {
      const reply = await h.call('POST', '/v1/events', {
        token: tokens.platform,
        body: { events: [event('in-batch'), event('in-batch')] },
      });
      assert.equal(reply.status, 200);
      assert.deepEqual(
        reply.body.results.map((r: { status: string }) => r.status),
        ['accepted', 'duplicate'],
      );
      assert.equal(reply.body.results[1].eventId, reply.body.results[0].eventId);
      assert.equal(await countEvents('in-batch'), 1);
    });

    // Races: `racers` identical requests at once. More than two, so that the race is lost reliably.
    const racers = 8;

    test(`the same event sent ${racers} times at once is recorded once, and no request fails`, async () => {
      const batch = { events: [event('racing')] };
      const replies = await Promise.all(
        times(racers, () => h.call('POST', '/v1/events', { token: tokens.platform, body: batch })),
      );
      const statuses = replies.map((r) => r.status);
      assert.deepEqual(
        statuses,
        times(racers, () => 200),
        JSON.stringify(replies.map((r) => r.body)),
      );
      const results = replies.map((r) => r.body.results[0].status).sort();
      assert.deepEqual(results, ['accepted', ...times(racers - 1, () => 'duplicate')]);
      assert.equal(await countEvents('racing'), 1);
    });

    // The conflicts above, raced: one request wins and every other gets the 409.
    const races: [what: string, send: (f: Fixtures) => Promise<Request>, conflict: string][] = [
      ['decisions of one case', decide(decision), 'case_not_open'],
      ['appeals of one decision', appeal((f) => f.upheldCase()), 'already_appealed'],
      ['decisions of one appeal', decideAppeal((f) => f.appealedCase()), 'no_pending_appeal'],
      ['lifts of one sanction', lift((f) => f.activeSanction()), 'sanction_not_active'],
    ];
    for (const [what, send, conflict] of races) {
      test(`${racers} ${what} at once: one succeeds, the others → 409 ${conflict}`, async () => {
        const { as, method, url, body } = await send(fixtures);
        const replies = await Promise.all(
          times(racers, () => h.call(method, url, { token: tokens[as], body })),
        );
        const outcomes = replies.map((r) => `${r.status} ${r.body.error ?? ''}`.trim()).sort();
        assert.deepEqual(outcomes, ['200', ...times(racers - 1, () => `409 ${conflict}`)]);
      });
    }

    test(`${racers} decisions of one case at once add its strikes once`, async () => {
      const { url, body } = await decide(decision)(fixtures);
      await Promise.all(times(racers, () => h.call('POST', url, { token: tokens.moderator, body })));
      const caseId = url.split('/')[3]!;
      const strikes = await h.ctx.db
        .selectFrom('strikes')
        .select('id')
        .where('case_id', '=', caseId)
        .execute();
      assert.equal(strikes.length, 1);
    });

    test('an eligibility batch answers each bad check and writes nothing', async () => {
      const before = await h.snapshot();
      const reply = await h.call('POST', '/v1/eligibility', {
        token: tokens.service,
        body: {
          checks: [
            // Not Tom: the decisions of the tests above may have lowered his grade below travel.air's.
            { subject: fixtures.other, action: 'travel.air' },
            { subject: fixtures.tom, action: 'finance.credit' },
            { subject: fixtures.tom, action: 'travel.space' },
            { subject: fixtures.tom, action: 'world.enter' },
            { subject: newDigitalId(), action: 'travel.air' },
            { subject: typo(fixtures.tom), action: 'travel.air' },
            { subject: fixtures.tom, action: 'travel.air', colour: 'red' },
            { subject: fixtures.tom },
          ],
        },
      });
      assert.equal(reply.status, 200);
      assert.deepEqual(
        reply.body.results.map((r: { index: number; error?: string; reason?: string }) => [
          r.index,
          r.error ?? r.reason,
        ]),
        [
          [0, 'eligible'],
          [1, 'forbidden'],
          [2, 'invalid_request'],
          [3, 'invalid_request'],
          [4, 'subject_not_found'],
          [5, 'malformed_id'],
          [6, 'invalid_request'],
          [7, 'invalid_request'],
        ],
      );
      assert.deepEqual(
        reply.body.results.slice(6).map((r: { field: string }) => r.field),
        ['checks.6.colour', 'checks.7.action'],
      );
      assert.equal(await h.snapshot(), before);
    });

    async function countEvents(externalId: string): Promise<number> {
      const rows = await h.ctx.db
        .selectFrom('conduct_events')
        .select('id')
        .where('world_id', '=', world)
        .where('external_id', '=', externalId)
        .execute();
      return rows.length;
    }
  },
  { now: () => new Date(Date.now() + clock.offsetMs) },
);

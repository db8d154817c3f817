import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { defaultPolicyFile } from '../src/policy/load.ts';
import {
  accessFixture,
  emergency,
  entriesSince,
  logSize,
  MovableClock,
  snapshotWithoutLedger,
  warrant,
} from './_access.ts';
import { forEachStore, tempDir } from './_util.ts';

const clock = new MovableClock();

forEachStore(
  'lawful access: refusals by policy',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    before(async () => {
      clock.reset();
      f = await accessFixture(h);
    });

    const refusals: [string, (c: MovableClock) => unknown, string][] = [
      ['spam may not lead to disclosure', (c) => warrant(c, { offence: 'spam' }), 'offence_not_disclosable'],
      ['nor positive conduct', (c) => warrant(c, { offence: 'volunteering' }), 'offence_not_disclosable'],
      [
        'an emergency does not suffice for spreading rumours',
        (c) => emergency(c, { offence: 'spreading_rumors', scope: ['natural'] }),
        'legal_basis_insufficient',
      ],
      [
        'a statute does not suffice for fraud',
        (c) => warrant(c, { offence: 'fraud', legalBasis: { ...warrant(c).legalBasis, kind: 'statute' } }),
        'legal_basis_insufficient',
      ],
      [
        'social is beyond the scope for rumours',
        (c) => warrant(c, { scope: ['natural', 'social'] }),
        'scope_beyond_policy',
      ],
      [
        'signs are beyond the scope for fraud',
        (c) => warrant(c, { offence: 'fraud', scope: ['signs'] }),
        'scope_beyond_policy',
      ],
      [
        'an expired warrant',
        (c) => warrant(c, { legalBasis: { ...warrant(c).legalBasis, expiresAt: c.in(-1000) } }),
        'legal_basis_expired',
      ],
    ];
    for (const [name, body, reason] of refusals) {
      test(`${name}: 422 ${reason}, logged once, nothing else written`, async () => {
        const untouched = await snapshotWithoutLedger(h);
        const size = await logSize(h);
        const reply = await h.call('POST', '/v1/disclosures', { token: f.authority, body: body(clock) });
        assert.equal(reply.status, 422, JSON.stringify(reply.body));
        assert.equal(reply.body.error, 'refused_by_policy');
        assert.equal(reply.body.reason, reason);
        assert.ok(reply.body.message.length > 0);
        assert.equal(await snapshotWithoutLedger(h), untouched, 'only the log was written');
        const logged = await entriesSince(h, size);
        assert.equal(logged.length, 1, 'the log grew by exactly one entry');
        assert.equal(logged[0].kind, 'disclosure.refused');
        assert.equal(logged[0].actor, f.authorityId);
        assert.equal(logged[0].refs.reason, reason);
        assert.equal(logged[0].refs.jurisdiction, 'GB');
        assert.ok(!logged[0].text.includes('"tom"'), 'the handle is not logged');
        assert.ok(!logged[0].text.includes('rumour'), 'the purpose is not logged');
      });
    }

    test('a refusal reads the same whether or not the target exists', async () => {
      const known = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: warrant(clock, { offence: 'spam' }),
      });
      const unknown = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: warrant(clock, { offence: 'spam', target: { world: 'plaza', handle: 'nobody' } }),
      });
      assert.deepEqual(unknown.body, known.body);
    });
  },
  { now: clock.now },
);

// An operator's policy under which a statute suffices for cheating, with no oversight and no gag;
// and likewise for spam, which may also go without a case.
const policyDir = tempDir('policy');
const policyFile = path.join(policyDir, 'statute.json');
const document = JSON.parse(fs.readFileSync(defaultPolicyFile, 'utf8'));
document.categories.cheating.disclosure = {
  allowed: true,
  legalBases: ['statute', 'warrant'],
  oversight: 'not_required',
  gagDays: 0,
  scope: ['signs'],
};
document.categories.spam.disclosure = { ...document.categories.cheating.disclosure, requiresCase: false };
fs.writeFileSync(policyFile, JSON.stringify(document));
after(() => fs.rmSync(policyDir, { recursive: true, force: true }));

forEachStore(
  'lawful access: where the policy needs no oversight',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    before(async () => {
      clock.reset();
      f = await accessFixture(h);
    });

    test('the request is granted at once, fulfilled in the log, and told at once (no gag)', async () => {
      const statute = { ...warrant(clock).legalBasis, kind: 'statute', reference: 'Online Safety Act s.12' };
      // Cheating says nothing of requiresCase: it requires one, opened by a report before the request.
      const body = await f.withCase(
        warrant(clock, { offence: 'cheating', scope: ['signs'], legalBasis: statute }),
      );
      assert.equal(typeof body.case, 'string');
      const size = await logSize(h);
      const asked = await h.call('POST', '/v1/disclosures', { token: f.authority, body });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'granted');
      const logged = await entriesSince(h, size);
      assert.deepEqual(
        logged.map((e) => e.kind),
        ['disclosure.requested', 'disclosure.fulfilled'],
      );
      assert.equal(logged[1].refs.grant, 'oversight_not_required');
      assert.equal(logged[1].refs.disclosure, asked.body.id);

      const read = await h.call('GET', `/v1/disclosures/${asked.body.id}`, { token: f.authority });
      assert.equal(read.body.decidedBy, 'policy');
      assert.deepEqual(Object.keys(read.body.identity).sort(), ['found', 'kind', 'signs', 'subject']);
      assert.deepEqual(read.body.identity.signs.deviceIds, ['dev:4f3a-01']);
      const told = await h.call('GET', '/v1/me/disclosures', { token: f.subject });
      assert.deepEqual(
        told.body.items.map((n: { id: string; reads: number }) => [n.id, n.reads]),
        [[asked.body.id, 1]],
      );

      // Nothing is left for oversight to decide.
      const approve = await h.call('POST', `/v1/disclosures/${asked.body.id}/approve`, {
        token: f.oversight,
        body: { reason: 'Too late to matter' },
      });
      assert.equal(approve.status, 409);
    });

    test('without a case, oversight decides all the same, and a statute does not suffice', async () => {
      const spam = (kind: string, overrides: Record<string, unknown> = {}) =>
        warrant(clock, {
          offence: 'spam',
          scope: ['signs'],
          legalBasis: { ...warrant(clock).legalBasis, kind },
          ...overrides,
        });
      const caseless = await h.call('POST', '/v1/disclosures', { token: f.authority, body: spam('warrant') });
      assert.equal(caseless.status, 201, JSON.stringify(caseless.body));
      assert.equal(caseless.body.status, 'pending', 'no case: oversight decides');
      const statute = await h.call('POST', '/v1/disclosures', { token: f.authority, body: spam('statute') });
      assert.equal(statute.status, 422, JSON.stringify(statute.body));
      assert.equal(statute.body.reason, 'legal_basis_insufficient');
      // On a spam case about Tom, the category's own rule: granted at once on the statute.
      const cased = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: spam('statute', { case: await f.caseFor('spam') }),
      });
      assert.equal(cased.status, 201, JSON.stringify(cased.body));
      assert.equal(cased.body.status, 'granted');
    });

    test('the rest of the policy still holds: emergency stays refused for rumours', async () => {
      const untouched = await snapshotWithoutLedger(h);
      const reply = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: emergency(clock, { offence: 'spreading_rumors', scope: ['natural'] }),
      });
      assert.equal(reply.status, 422);
      assert.equal(await snapshotWithoutLedger(h), untouched);
    });
  },
  { now: clock.now, config: { policyFile } },
);

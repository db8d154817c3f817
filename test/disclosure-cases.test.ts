import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  accessFixture,
  emergency,
  entriesSince,
  logSize,
  MovableClock,
  snapshotWithoutLedger,
  warrant,
} from './_access.ts';
import { bindReporters, report } from './_fixtures.ts';
import { forEachStore, personEnrolment } from './_util.ts';

// Issue 13, part 5: a disclosure rests on a case about its target, of its offence's category,
// unless the policy lets the category go without one (fraud, in the default).

const clock = new MovableClock({ frozen: true });

forEachStore(
  'lawful access rests on a case',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    let annCase: string;
    const ask = (body: unknown) => h.call('POST', '/v1/disclosures', { token: f.authority, body });

    before(async () => {
      clock.reset();
      f = await accessFixture(h);
      // Ann, another person in the plaza, with a rumours case of her own.
      const ann = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
      assert.equal(ann.status, 201, JSON.stringify(ann.body));
      await h.ctx.avatars.bind({ world: f.world, handle: 'ann', subject: ann.body.id }, 'test');
      await bindReporters(h, f.world, ['bystander']);
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: { ...report(f.world, 'bystander'), handle: 'ann', occurredAt: clock.in(-60_000) },
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      annCase = filed.body.caseId;
    });

    test('a request names Tom’s rumours case: accepted, the case shown to the authority and oversight, only a flag in the log', async () => {
      const rumours = await f.caseFor('spreading_rumors');
      const size = await logSize(h);
      const asked = await ask(warrant(clock, { case: rumours }));
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'pending');
      for (const token of [f.authority, f.oversight]) {
        const seen = await h.call('GET', `/v1/disclosures/${asked.body.id}`, { token });
        assert.equal(seen.body.case, rumours);
        assert.equal(seen.body.withCase, true);
      }
      const audited = await h.call('GET', `/v1/disclosures/${asked.body.id}`, { token: f.auditor });
      assert.equal(audited.body.withCase, true);
      assert.equal(audited.body.case, undefined, 'auditors see that there is a case, not which');
      const [requested] = await entriesSince(h, size);
      assert.equal(requested.kind, 'disclosure.requested');
      assert.equal(requested.refs.withCase, true);
      assert.ok(!requested.text.includes(rumours), 'the case id is in the salted digest only');
      // By the subject's digital ID, the same case holds: it is about Tom.
      const bySubject = await ask(warrant(clock, { case: rumours, target: { subject: f.tom } }));
      assert.equal(bySubject.status, 201, JSON.stringify(bySubject.body));
    });

    test('an emergency names its case too, and is granted at once as before', async () => {
      const asked = await ask(emergency(clock, { case: await f.caseFor('harassment') }));
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'granted');
    });

    const refused = (
      name: string,
      body: () => Promise<unknown>,
      expected: [code: string, check?: (reply: { body: Record<string, unknown> }) => void],
    ) =>
      test(`${name}: 422 ${expected[0]}, nothing written`, async () => {
        const request = await body();
        const untouched = await h.snapshot();
        const reply = await ask(request);
        assert.equal(reply.status, 422, JSON.stringify(reply.body));
        assert.equal(reply.body.error, expected[0]);
        assert.equal(reply.body.field, 'case');
        assert.ok(reply.body.message.length > 0);
        expected[1]?.(reply);
        assert.equal(await h.snapshot(), untouched, 'not even the log grew');
      });

    // A sentence the console shows at the Case field as it is; the offence in words.
    const caseRequired = (offence: string) => (reply: { body: Record<string, unknown> }) =>
      assert.equal(reply.body.message, `A disclosure for ${offence} must name the case it concerns.`);
    refused('no case where the category requires one', async () => warrant(clock), [
      'case_required',
      caseRequired('spreading rumors'),
    ]);
    refused('an emergency without a case', async () => emergency(clock), [
      'case_required',
      caseRequired('harassment'),
    ]);
    refused('another subject’s case', async () => warrant(clock, { case: annCase }), [
      'case_not_about_target',
    ]);
    refused(
      'another subject’s case, the target named by digital ID',
      async () => warrant(clock, { case: annCase, target: { subject: f.tom } }),
      ['case_not_about_target'],
    );
    refused(
      'Tom’s case for another avatar',
      async () =>
        warrant(clock, {
          case: await f.caseFor('spreading_rumors'),
          target: { world: f.world, handle: 'ann' },
        }),
      ['case_not_about_target'],
    );
    refused(
      'a case of another category',
      async () => warrant(clock, { case: await f.caseFor('harassment') }),
      ['case_category_mismatch'],
    );
    refused(
      'a case that does not exist: answered as one about someone else',
      async () => warrant(clock, { case: 'case_0000000000000000' }),
      [
        'case_not_about_target',
        (reply) =>
          assert.match(String(reply.body.message), /^case "case_0000000000000000" is not a case about/),
      ],
    );

    test('an unknown case and another subject’s read alike', async () => {
      const unknown = await ask(warrant(clock, { case: 'case_0000000000000000' }));
      const anns = await ask(warrant(clock, { case: annCase }));
      assert.deepEqual(
        { ...unknown.body, message: unknown.body.message.replace('case_0000000000000000', annCase) },
        anns.body,
      );
    });

    test('where no case is required (fraud): a warrant without one waits for oversight', async () => {
      const size = await logSize(h);
      const asked = await ask(warrant(clock, { offence: 'fraud' }));
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'pending');
      const seen = await h.call('GET', `/v1/disclosures/${asked.body.id}`, { token: f.oversight });
      assert.equal(seen.body.withCase, false);
      assert.equal(seen.body.case, undefined);
      const [requested] = await entriesSince(h, size);
      assert.equal(requested.refs.withCase, false);
    });

    test('without a case, an emergency does not suffice even where the category allows it: refused by policy and logged', async () => {
      const untouched = await snapshotWithoutLedger(h);
      const size = await logSize(h);
      const reply = await ask(emergency(clock, { offence: 'fraud' }));
      assert.equal(reply.status, 422, JSON.stringify(reply.body));
      assert.equal(reply.body.error, 'refused_by_policy');
      assert.equal(reply.body.reason, 'legal_basis_insufficient');
      assert.match(reply.body.message, /without a case/);
      assert.equal(await snapshotWithoutLedger(h), untouched);
      const logged = await entriesSince(h, size);
      assert.deepEqual(
        logged.map((e) => [e.kind, e.refs.reason, e.refs.withCase]),
        [['disclosure.refused', 'legal_basis_insufficient', false]],
      );
      // With a fraud case about Tom, the category's own rule holds: the emergency is granted.
      const withCase = await ask(emergency(clock, { offence: 'fraud', case: await f.caseFor('fraud') }));
      assert.equal(withCase.status, 201, JSON.stringify(withCase.body));
      assert.equal(withCase.body.status, 'granted');
    });

    test('Tom is told which case a disclosure about him rested on', async () => {
      clock.advance(31 * 24 * 3_600_000);
      const told = await h.call('GET', '/v1/me/disclosures?limit=50', { token: f.subject });
      const cases = new Set(told.body.items.map((n: { case?: string }) => n.case));
      assert.ok(cases.has(await f.caseFor('spreading_rumors')));
      assert.ok(cases.has(undefined), 'and that the fraud request named none');
    });
  },
  { now: clock.now },
);

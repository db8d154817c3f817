import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Enrolment } from '../src/identity/attributes.ts';
import { newDigitalId } from '../src/identity/digital-id.ts';
import {
  accessFixture,
  days,
  emergency,
  entriesSince,
  hourMs,
  logSize,
  MovableClock,
  warrant,
} from './_access.ts';
import { forEachStore, personEnrolment } from './_util.ts';

const clock = new MovableClock();

forEachStore(
  'lawful access: request → oversight → read → notice',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    const ask = async (body: Record<string, unknown>, token = f.authority) =>
      h.call('POST', '/v1/disclosures', { token, body: await f.withCase(body) });
    const get = (id: string, token = f.authority) => h.call('GET', `/v1/disclosures/${id}`, { token });
    const decide = (id: string, verdict: 'approve' | 'refuse', token = f.oversight) =>
      h.call('POST', `/v1/disclosures/${id}/${verdict}`, {
        token,
        body: { reason: `Oversight: ${verdict}` },
      });
    const mine = () => h.call('GET', '/v1/me/disclosures', { token: f.subject });

    before(async () => {
      clock.reset();
      f = await accessFixture(h);
    });

    test('Tom’s example: a warrant, oversight approves, the authority reads his natural attributes only', async () => {
      const asked = await ask(warrant(clock));
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.deepEqual(Object.keys(asked.body).sort(), ['id', 'status']);
      assert.equal(asked.body.status, 'pending');
      const id: string = asked.body.id;

      const waiting = await get(id);
      assert.equal(waiting.status, 200);
      assert.equal(waiting.body.status, 'pending');
      assert.equal(waiting.body.identity, undefined, 'nothing disclosed before oversight decides');
      assert.equal(waiting.body.purpose, 'Identify who started the rumour of a run on the plaza bank');

      const queue = await h.call('GET', '/v1/disclosures?status=pending', { token: f.oversight });
      assert.ok(queue.body.items.some((d: { id: string }) => d.id === id));
      const seen = await get(id, f.oversight);
      assert.deepEqual(seen.body.target, { world: 'plaza', handle: 'tom' });
      assert.equal(seen.body.legalBasis.reference, 'WARRANT-2026-0042');
      assert.equal(seen.body.identity, undefined, 'oversight never sees the identity');

      const approved = await decide(id, 'approve');
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.status, 'granted');
      assert.equal(approved.body.oversightReason, 'Oversight: approve');

      const size = await logSize(h);
      const read = await get(id);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      assert.equal(read.body.identity.found, true);
      assert.equal(read.body.identity.subject, f.tom);
      assert.equal(read.body.identity.natural.legalName, 'Thomas Example');
      assert.equal(read.body.identity.social, undefined, 'social is outside the granted scope');
      assert.equal(read.body.identity.signs, undefined, 'signs are outside the granted scope');
      assert.equal(read.body.reads, 1);
      const logged = await entriesSince(h, size);
      assert.deepEqual(
        logged.map((e) => e.kind),
        ['disclosure.read'],
      );
      assert.equal(logged[0].refs.disclosure, id);
      assert.equal(logged[0].refs.found, true);
      const reads = await h.ctx.db
        .selectFrom('disclosure_reads')
        .selectAll()
        .where('disclosure_id', '=', id)
        .execute();
      assert.equal(reads.length, 1);
      assert.equal(reads[0]!.principal_id, f.authorityId);

      // Tom is told only once the policy's 14-day gag has passed.
      assert.deepEqual((await mine()).body.items, []);
      clock.advance(days(13));
      assert.deepEqual((await mine()).body.items, []);
      clock.advance(days(1) + 1000);
      const told = await mine();
      assert.equal(told.status, 200);
      assert.equal(told.body.items.length, 1);
      const notice = told.body.items[0];
      assert.deepEqual(
        { ...notice, requestedAt: undefined, noticeAt: undefined, appealDeadline: undefined },
        {
          id,
          requestedAt: undefined,
          jurisdiction: 'GB',
          legalBasis: 'warrant',
          offence: 'spreading_rumors',
          scope: ['natural'],
          status: 'granted',
          reads: 1,
          case: await f.caseFor('spreading_rumors'),
          noticeAt: undefined,
          appealDeadline: undefined,
        },
      );
      // Told when the gag ended; it may be appealed for the policy's 30 days from then.
      assert.ok(Date.parse(notice.noticeAt) <= clock.now().getTime());
      assert.equal(notice.appealDeadline, new Date(Date.parse(notice.noticeAt) + days(30)).toISOString());
      // Another subject is told nothing of it.
      const other = await h.ctx.subjects.enrol(personEnrolment() as Enrolment, 'test');
      const stranger = await h.token({ role: 'subject', subject: other.id });
      assert.deepEqual((await h.call('GET', '/v1/me/disclosures', { token: stranger })).body.items, []);
    });

    test('an emergency is granted at once, listed and counted overdue after its deadline, and revoked on review', async () => {
      const asked = await ask(emergency(clock));
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'granted');
      const id: string = asked.body.id;
      const read = await get(id);
      assert.equal(read.body.emergency, true);
      assert.deepEqual(Object.keys(read.body.identity).sort(), [
        'found',
        'kind',
        'natural',
        'social',
        'subject',
      ]);
      assert.equal(read.body.identity.social.email, 'tom@example.org');
      assert.equal(Date.parse(read.body.reviewDueAt) - Date.parse(read.body.createdAt), 72 * hourMs);
      assert.equal(read.body.overdue, false);

      const overdue = () => h.call('GET', '/v1/disclosures?overdue=true', { token: f.oversight });
      const gauge = async () => {
        const text = (await h.call('GET', '/metrics')).body as string;
        return Number(/^mdis_disclosure_reviews_overdue (\d+)$/m.exec(text)?.[1]);
      };
      assert.ok(!(await overdue()).body.items.some((d: { id: string }) => d.id === id));
      const baseline = await gauge();
      clock.advance(72 * hourMs + 1000);
      const listed = (await overdue()).body.items.find((d: { id: string }) => d.id === id);
      assert.equal(listed?.overdue, true);
      assert.equal(await gauge(), baseline + 1);

      const revoked = await decide(id, 'refuse');
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal(revoked.body.status, 'refused');
      assert.ok(revoked.body.reviewedAt);
      assert.equal(await gauge(), baseline);
      const size = await logSize(h);
      const after = await get(id);
      assert.equal(after.status, 200);
      assert.equal(after.body.status, 'refused');
      assert.equal(after.body.identity, undefined, 'a revoked emergency disclosure discloses nothing more');
      assert.equal(await logSize(h), size, 'nothing was read, so nothing logged');
      const again = await decide(id, 'approve');
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'disclosure_decided');
    });

    test('an emergency confirmed on review stays granted; its log says the review was late', async () => {
      const id: string = (await ask(emergency(clock))).body.id;
      clock.advance(73 * hourMs);
      const size = await logSize(h);
      const confirmed = await decide(id, 'approve');
      assert.equal(confirmed.body.status, 'granted');
      const [overdue, entry] = await entriesSince(h, size);
      // No pass ran and no one read it since the deadline: the late review logs its passing first.
      assert.equal(overdue.kind, 'disclosure.review_overdue');
      assert.equal(overdue.refs.disclosure, id);
      assert.equal(entry.kind, 'disclosure.approved');
      assert.equal(entry.refs.review, true);
      assert.equal(entry.refs.late, true);
      assert.equal((await get(id)).body.identity.found, true);
    });

    test('deciding twice is a conflict, and of two decisions at once exactly one wins', async () => {
      const first: string = (await ask(warrant(clock))).body.id;
      assert.equal((await decide(first, 'approve')).status, 200);
      const twice = await decide(first, 'approve');
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error, 'disclosure_decided');
      assert.equal((await decide(first, 'refuse')).status, 409);

      const raced: string = (await ask(warrant(clock))).body.id;
      const size = await logSize(h);
      const outcomes = await Promise.all([
        decide(raced, 'approve'),
        decide(raced, 'refuse'),
        decide(raced, 'approve'),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), [200, 409, 409]);
      assert.equal((await entriesSince(h, size)).length, 1, 'one decision logged');
    });

    // Fraud may go without a case in the default policy: a case would name its avatar already.
    test('an unknown target is accepted exactly like a known one, and a granted read answers found: false', async () => {
      const fraud = (overrides: Record<string, unknown> = {}) =>
        warrant(clock, { offence: 'fraud', ...overrides });
      const logGrowth = async (body: Record<string, unknown>) => {
        const size = await logSize(h);
        const reply = await ask(body);
        await h.ctx.ledger.sync();
        return { reply, grew: (await logSize(h)) - size };
      };
      const known = await logGrowth(fraud());
      const nobody = await logGrowth(fraud({ target: { world: 'plaza', handle: 'nobody' } }));
      const nowhere = await logGrowth(fraud({ target: { world: 'no-such-world', handle: 'tom' } }));
      const unenrolled = await logGrowth(fraud({ target: { subject: newDigitalId() } }));
      assert.equal(known.reply.status, 201, JSON.stringify(known.reply.body));
      for (const unknown of [nobody, nowhere, unenrolled]) {
        assert.equal(unknown.reply.status, known.reply.status);
        assert.deepEqual(Object.keys(unknown.reply.body).sort(), Object.keys(known.reply.body).sort());
        assert.equal(unknown.reply.body.status, known.reply.body.status);
        assert.equal(unknown.grew, known.grew, 'the log grows alike');
        const metadata = await get(unknown.reply.body.id);
        const knownMetadata = await get(known.reply.body.id);
        assert.deepEqual(Object.keys(metadata.body).sort(), Object.keys(knownMetadata.body).sort());
      }
      const id: string = nobody.reply.body.id;
      await decide(id, 'approve');
      const size = await logSize(h);
      const read = await get(id);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.identity, { found: false });
      const [entry] = await entriesSince(h, size);
      assert.equal(entry.kind, 'disclosure.read');
      assert.equal(entry.refs.found, false);

      // Bound since: the target now names someone, and the next read finds them.
      await h.ctx.avatars.bind({ world: 'plaza', handle: 'nobody', subject: f.tom }, 'test');
      const later = await get(id);
      assert.equal(later.body.identity.found, true);
      assert.equal(later.body.identity.subject, f.tom);
      assert.equal(later.body.reads, 2);
    });

    test('a basis that expires ends the reads: 422, the attempt logged, nothing read', async () => {
      const twoDays = () =>
        warrant(clock, { legalBasis: { ...warrant(clock).legalBasis, expiresAt: clock.in(days(2)) } });
      const id: string = (await ask(twoDays())).body.id;
      await decide(id, 'approve');
      assert.equal((await get(id)).body.identity.found, true);
      clock.advance(days(3));
      const size = await logSize(h);
      const reads = await h.ctx.db.selectFrom('disclosure_reads').selectAll().execute();
      const late = await get(id);
      assert.equal(late.status, 422, JSON.stringify(late.body));
      assert.equal(late.body.error, 'refused_by_policy');
      assert.equal(late.body.reason, 'legal_basis_expired');
      const logged = await entriesSince(h, size);
      assert.deepEqual(
        logged.map((e) => [e.kind, e.refs.disclosure]),
        [['disclosure.read_refused', id]],
      );
      assert.deepEqual(await h.ctx.db.selectFrom('disclosure_reads').selectAll().execute(), reads);
      // Oversight still sees it; a pending request whose basis lapsed cannot be approved.
      assert.equal((await get(id, f.oversight)).status, 200);
      const lapsed: string = (await ask(twoDays())).body.id;
      clock.advance(days(3));
      const untouched = await h.snapshot();
      const approve = await decide(lapsed, 'approve');
      assert.equal(approve.status, 422);
      assert.equal(approve.body.reason, 'legal_basis_expired');
      assert.equal(await h.snapshot(), untouched);
      assert.equal((await decide(lapsed, 'refuse')).status, 200);
    });

    test('another authority cannot tell the request exists: 404, as for an id never issued', async () => {
      const id: string = (await ask(warrant(clock))).body.id;
      await decide(id, 'approve');
      const theirs = await get(id, f.otherAuthority);
      const never = await get('dsc_0000000000000000', f.otherAuthority);
      assert.equal(theirs.status, 404);
      assert.equal(never.status, 404);
      assert.equal(theirs.body.error, 'disclosure_not_found');
      assert.equal(never.body.error, theirs.body.error);
      assert.equal(never.body.message.replace('dsc_0000000000000000', id), theirs.body.message);
      const listed = await h.call('GET', '/v1/disclosures?limit=500', { token: f.otherAuthority });
      assert.deepEqual(listed.body.items, []);
      // Auditors see the metadata, none of its texts and no identity.
      const audited = await get(id, f.auditor);
      assert.equal(audited.status, 200);
      for (const key of ['target', 'purpose', 'identity', 'oversightReason'])
        assert.equal(audited.body[key], undefined, key);
      assert.equal(audited.body.legalBasis.reference, undefined);
    });

    test('lists filter by status and emergency and page with a cursor', async () => {
      const all = await h.call('GET', '/v1/disclosures?limit=500', { token: f.authority });
      const total = all.body.items.length;
      assert.ok(total >= 5);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.call(`GET`, `/v1/disclosures?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: f.auditor,
        });
        assert.equal(page.status, 200);
        seen.push(...page.body.items.map((d: { id: string }) => d.id));
        cursor = page.body.cursor;
      } while (cursor !== undefined);
      assert.deepEqual(
        seen,
        all.body.items.map((d: { id: string }) => d.id),
      );
      const emergencies = await h.call('GET', '/v1/disclosures?emergency=true', { token: f.oversight });
      assert.ok(emergencies.body.items.length >= 2);
      assert.ok(emergencies.body.items.every((d: { emergency: boolean }) => d.emergency));
      const refused = await h.call('GET', '/v1/disclosures?status=refused', { token: f.oversight });
      assert.ok(refused.body.items.every((d: { status: string }) => d.status === 'refused'));
      const bad = await h.call('GET', '/v1/disclosures?cursor=nonsense', { token: f.oversight });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.field, 'cursor');
    });

    test('the log holds no personal data of Tom, nor the handle, purpose or warrant text', async () => {
      await h.ctx.ledger.sync();
      const text = (await h.ctx.ledger.entries(0, await logSize(h))).map((e) => e.entry).join('\n');
      assert.ok(text.includes('"disclosure.read"'));
      for (const secret of [
        'Thomas Example',
        'tom@example.org',
        '+447700900123',
        '"tom"',
        'nobody',
        'WARRANT-2026-0042',
        'Plaza Magistrates',
        'rumour',
        'INCIDENT-7731',
        'Threats',
        'Oversight: ',
      ]) {
        assert.ok(!text.includes(secret), `"${secret}" is not in the log`);
      }
    });

    test('the store holds no plaintext of the request either', async () => {
      const rows = await h.ctx.db.selectFrom('disclosures').selectAll().execute();
      const text = JSON.stringify(rows, (_key, value) => (value?.type === 'Buffer' ? '' : value));
      for (const secret of [
        'WARRANT-2026-0042',
        'Plaza Magistrates',
        'rumour',
        '"tom"',
        'nobody',
        'Oversight: ',
      ]) {
        assert.ok(!text.includes(secret), `"${secret}" is not stored in the clear`);
      }
    });
  },
  { now: clock.now },
);

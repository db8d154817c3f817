import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { accessFixture, days, entriesSince, logSize, MovableClock, warrant } from './_access.ts';
import { bindReporters, report } from './_fixtures.ts';
import { race } from './_race.ts';
import { forEachStore, personEnrolment } from './_util.ts';

const clock = new MovableClock();

// Issue 14, part 2: POST /v1/appeals for a case's decision, a sanction imposed directly and a
// disclosure after its notice; moderators hear conduct, oversight disclosures; windows from the
// default policy (30 days for each kind).
forEachStore(
  'one appeal pipeline',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    let reviewer: string;
    let secondOversight: string;
    let bank: string;
    const appeal = (target: { kind: string; id: string }, token = f.subject, reason = 'It was not me') =>
      h.call('POST', '/v1/appeals', { token, body: { target, reason } });
    const decideAppeal = (id: string, outcome: string, token: string) =>
      h.call('POST', `/v1/appeals/${id}/decision`, {
        token,
        body: { outcome, rationale: `Heard: ${outcome}` },
      });
    const idOf = async (token: string) => (await h.call('GET', '/v1/whoami', { token })).body.id as string;
    const score = async () =>
      (await h.call('GET', `/v1/subjects/${f.tom}/credit`, { token: f.moderator })).body.score as number;
    const air = async () =>
      (await h.call('GET', `/v1/eligibility?subject=${f.tom}&action=travel.air`, { token: f.airline })).body;
    let reporters = 0;
    const upheldCase = async (category = 'spreading_rumors') => {
      const reporter = `reporter${++reporters}`;
      await bindReporters(h, f.world, [reporter]);
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: { ...report(f.world, reporter, category), occurredAt: clock.in(-60_000) },
      });
      const decided = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
        token: f.moderator,
        body: {
          outcome: 'upheld',
          severity: 1,
          rationale: 'Confirmed',
          sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
        },
      });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      return filed.body.caseId as string;
    };

    before(async () => {
      clock.reset();
      f = await accessFixture(h);
      reviewer = await h.token({ role: 'moderator' });
      secondOversight = await h.token({ role: 'oversight' });
      bank = await h.token({ role: 'service', actions: ['finance.credit'] });
    });

    test('a case decision: filed once, never heard by its own moderator, overturned with every effect undone', async () => {
      const caseId = await upheldCase();
      assert.equal((await air()).allowed, false);
      const lowered = await score();
      assert.ok(lowered < 1000);
      const from = await logSize(h);
      const filed = await appeal({ kind: 'case', id: caseId });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.deepEqual(
        [filed.body.kind, filed.body.queue, filed.body.status],
        ['case', 'moderator', 'pending'],
      );
      // Whichever route: a decision is appealed once.
      assert.equal((await appeal({ kind: 'case', id: caseId })).body.error, 'already_appealed');
      const old = await h.call('POST', `/v1/cases/${caseId}/appeal`, {
        token: f.subject,
        body: { reason: 'Again' },
      });
      assert.deepEqual([old.status, old.body.error], [409, 'already_appealed']);
      const queue = await h.call('GET', '/v1/appeals', { token: reviewer });
      assert.ok(queue.body.items.some((a: { id: string }) => a.id === filed.body.id));

      // The decision records who made it; that moderator cannot hear its appeal, and nothing is written.
      const moderatorId = await idOf(f.moderator);
      const decided = (await h.call('GET', `/v1/cases/${caseId}`, { token: reviewer })).body;
      assert.equal(decided.decision.decidedBy, moderatorId);
      assert.equal(filed.body.decisionBy, moderatorId);
      const unchanged = await h.snapshot();
      const own = await decideAppeal(filed.body.id, 'overturned', f.moderator);
      assert.deepEqual([own.status, own.body.error], [403, 'own_decision']);
      assert.deepEqual(Object.keys(own.body).sort(), ['error', 'message']);
      assert.equal(await h.snapshot(), unchanged, 'a refused appeal decision wrote');
      const overturned = await decideAppeal(filed.body.id, 'overturned', reviewer);
      assert.equal(overturned.status, 200, JSON.stringify(overturned.body));
      assert.equal(overturned.body.status, 'overturned');
      assert.equal(overturned.body.decidedBy, await idOf(reviewer));
      assert.equal(await score(), 1000);
      assert.equal((await air()).allowed, true);
      const sanctions = (await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator })).body
        .items;
      assert.ok(
        sanctions
          .filter((s: { caseId?: string }) => s.caseId === caseId)
          .every((s: { status: string }) => s.status === 'lifted'),
      );
      const kinds = (await entriesSince(h, from)).map((e: { kind: string }) => e.kind);
      for (const kind of ['case.appealed', 'appeal.decided', 'sanction.lifted', 'credit.changed']) {
        assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);
      }
      const case_ = (await h.call('GET', `/v1/cases/${caseId}`, { token: f.moderator })).body;
      assert.equal(case_.appeal.status, 'overturned');
      assert.deepEqual(
        [case_.decision.decidedBy, case_.appeal.decidedBy],
        [moderatorId, await idOf(reviewer)],
      );
    });

    test('a case decision upheld on appeal keeps its effects', async () => {
      const caseId = await upheldCase('harassment');
      const lowered = await score();
      const filed = await appeal({ kind: 'case', id: caseId });
      const upheld = await decideAppeal(filed.body.id, 'upheld', reviewer);
      assert.equal(upheld.body.status, 'upheld');
      assert.equal(await score(), lowered);
      assert.equal((await air()).allowed, false);
      // The old route refuses the same moderator too.
      const other = await upheldCase('spam');
      await h.call('POST', `/v1/cases/${other}/appeal`, { token: f.subject, body: { reason: 'No' } });
      const own = await h.call('POST', `/v1/cases/${other}/appeal/decision`, {
        token: f.moderator,
        body: { outcome: 'overturned', rationale: 'Mine' },
      });
      assert.deepEqual([own.status, own.body.error], [403, 'own_decision']);
    });

    test('a sanction imposed directly: overturned, it is lifted and its points come back out', async () => {
      const before = await score();
      const imposed = await h.call('POST', '/v1/sanctions', {
        token: f.moderator,
        body: { subject: f.tom, kind: 'restriction', actions: ['finance.credit'], reason: 'Suspected fraud' },
      });
      assert.equal(imposed.status, 201);
      assert.equal(imposed.body.imposedBy, await idOf(f.moderator), 'the sanction records who imposed it');
      assert.equal(await score(), before - 20);
      const finance = () =>
        h.call('GET', `/v1/eligibility?subject=${f.tom}&action=finance.credit`, { token: bank });
      assert.equal((await finance()).body.allowed, false);
      const from = await logSize(h);
      const filed = await appeal({ kind: 'sanction', id: imposed.body.id });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.equal(filed.body.queue, 'moderator');
      assert.equal((await appeal({ kind: 'sanction', id: imposed.body.id })).body.error, 'already_appealed');
      const unchanged = await h.snapshot();
      const own = await decideAppeal(filed.body.id, 'overturned', f.moderator);
      assert.deepEqual([own.status, own.body.error], [403, 'own_decision']);
      assert.equal(await h.snapshot(), unchanged, 'a refused appeal decision wrote');
      // Oversight hears disclosures, not conduct.
      assert.equal((await decideAppeal(filed.body.id, 'overturned', f.oversight)).status, 403);
      const overturned = await decideAppeal(filed.body.id, 'overturned', reviewer);
      assert.equal(overturned.status, 200, JSON.stringify(overturned.body));
      const listed = await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator });
      const lifted = listed.body.items.find((s: { id: string }) => s.id === imposed.body.id);
      assert.equal(lifted.status, 'lifted');
      assert.equal(await score(), before);
      assert.equal((await finance()).body.allowed, true);
      const kinds = (await entriesSince(h, from)).map((e: { kind: string }) => e.kind);
      for (const kind of ['appeal.filed', 'appeal.decided', 'sanction.lifted', 'credit.changed']) {
        assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);
      }
    });

    test('what cannot be appealed, and windows: clear errors, nothing written', async () => {
      // A ladder's or a decision's sanction is appealed through its case.
      const caseId = await upheldCase('cheating');
      const ofCase = (
        await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator })
      ).body.items.find((s: { caseId?: string }) => s.caseId === caseId);
      const snapshot = await h.snapshot();
      const refused = await appeal({ kind: 'sanction', id: ofCase.id });
      assert.deepEqual([refused.status, refused.body.error], [409, 'not_appealable']);
      await bindReporters(h, f.world, ['someone']);
      const dismissedCase = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: { ...report(f.world, 'someone', 'disruption'), occurredAt: clock.in(-60_000) },
      });
      await h.call('POST', `/v1/cases/${dismissedCase.body.caseId}/decision`, {
        token: f.moderator,
        body: { outcome: 'dismissed', rationale: 'Nothing happened' },
      });
      const before = await h.snapshot();
      const dismissed = await appeal({ kind: 'case', id: dismissedCase.body.caseId });
      assert.deepEqual([dismissed.status, dismissed.body.error], [409, 'not_appealable']);
      const malformed = await appeal({ kind: 'sanction', id: 'case_0000000000000000' });
      assert.deepEqual([malformed.status, malformed.body.error], [400, 'invalid_request']);
      assert.equal(await h.snapshot(), before);
      assert.notEqual(snapshot, before);

      const imposed = await h.call('POST', '/v1/sanctions', {
        token: f.moderator,
        body: { subject: f.tom, kind: 'warning', reason: 'Be nice' },
      });
      clock.advance(days(31));
      const late = await h.snapshot();
      const expired = await appeal({ kind: 'sanction', id: imposed.body.id });
      assert.deepEqual([expired.status, expired.body.error], [422, 'appeal_window_expired']);
      const lateCase = await appeal({ kind: 'case', id: caseId });
      assert.deepEqual([lateCase.status, lateCase.body.error], [422, 'appeal_window_expired']);
      // The case route keeps its own code.
      const oldRoute = await h.call('POST', `/v1/cases/${caseId}/appeal`, {
        token: f.subject,
        body: { reason: 'Late' },
      });
      assert.deepEqual([oldRoute.status, oldRoute.body.error], [422, 'appeal_window_closed']);
      assert.equal(await h.snapshot(), late);
    });

    test('a disclosure, once told: oversight hears it; overturned, it is declared unlawful in the log and the report', async () => {
      const asked = await h.call('POST', '/v1/disclosures', {
        token: f.authority,
        body: await f.withCase(warrant(clock)),
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      const approved = await h.call('POST', `/v1/disclosures/${asked.body.id}/approve`, {
        token: f.oversight,
        body: { reason: 'The warrant is in order' },
      });
      assert.equal(approved.status, 200);
      const target = { kind: 'disclosure', id: asked.body.id };
      // Under the gag the subject is not to know: as if there were none.
      const gagged = await appeal(target);
      assert.deepEqual([gagged.status, gagged.body.error], [404, 'disclosure_not_found']);
      clock.advance(days(15));
      // Told now, with its deadline: the policy's 30 days from the end of the gag.
      const told = (await h.call('GET', '/v1/me/disclosures', { token: f.subject })).body.items.find(
        (n: { id: string }) => n.id === asked.body.id,
      );
      assert.equal(told.status, 'granted');
      assert.equal(told.appealDeadline, new Date(Date.parse(told.noticeAt) + days(30)).toISOString());
      assert.ok(Date.parse(told.noticeAt) <= clock.now().getTime());
      const filed = await appeal(target);
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      assert.equal(filed.body.queue, 'oversight');
      assert.equal((await decideAppeal(filed.body.id, 'overturned', reviewer)).status, 403);
      assert.equal((await decideAppeal(filed.body.id, 'overturned', f.oversight)).body.error, 'own_decision');
      const queue = await h.call('GET', '/v1/appeals', { token: secondOversight });
      assert.deepEqual(
        queue.body.items.map((a: { id: string }) => a.id),
        [filed.body.id],
      );
      const appealed = (await h.call('GET', '/v1/me/disclosures', { token: f.subject })).body.items.find(
        (n: { id: string }) => n.id === asked.body.id,
      );
      assert.equal(appealed.appealDeadline, undefined);
      const from = await logSize(h);
      const overturned = await decideAppeal(filed.body.id, 'overturned', secondOversight);
      assert.equal(overturned.status, 200, JSON.stringify(overturned.body));
      const entries = await entriesSince(h, from);
      const unlawful = entries.find((e: { kind: string }) => e.kind === 'disclosure.unlawful');
      assert.equal(unlawful?.refs.disclosure, asked.body.id);
      const report_ = await h.call('GET', '/v1/transparency/report', {});
      assert.equal(report_.body.declaredUnlawful, 1);
    });

    test('the subject sees the case against it: reports and evidence, never the reporter; the deadline', async () => {
      const caseId = await upheldCase('fraud');
      const imposed = await h.call('POST', '/v1/sanctions', {
        token: f.moderator,
        body: { subject: f.tom, kind: 'warning', reason: 'Mind the rules' },
      });
      const me = await h.call('GET', '/v1/me', { token: f.subject });
      assert.equal(me.status, 200);
      const mine = me.body.cases.find((c: { id: string }) => c.id === caseId);
      assert.equal(mine.rationale, 'Confirmed');
      assert.equal(mine.reports.length, 1);
      assert.deepEqual(Object.keys(mine.reports[0]).sort(), [
        'category',
        'description',
        'evidence',
        'occurredAt',
        'receivedAt',
      ]);
      assert.equal(mine.reports[0].category, 'fraud');
      assert.deepEqual(mine.reports[0].evidence, [
        { sha256: 'b'.repeat(64), uri: 'https://evidence.example/plaza/123' },
      ]);
      assert.ok(!JSON.stringify(me.body).includes(`reporter${reporters}`), 'the reporter is never shown');
      const deadline = Date.parse(mine.decision.decidedAt) + days(30);
      assert.equal(mine.appealDeadline, new Date(deadline).toISOString());
      const sanction = me.body.sanctions.find((x: { id: string }) => x.id === imposed.body.id);
      assert.equal(
        sanction.appealDeadline,
        new Date(Date.parse(sanction.createdAt) + days(30)).toISOString(),
      );
      // A sanction of the case is appealed through the case: no deadline of its own.
      const ofCase = me.body.sanctions.find((x: { caseId?: string }) => x.caseId === caseId);
      assert.equal(ofCase.appealDeadline, undefined);
      await appeal({ kind: 'case', id: caseId });
      const after = (await h.call('GET', '/v1/me', { token: f.subject })).body;
      assert.equal(after.cases.find((c: { id: string }) => c.id === caseId).appealDeadline, undefined);
      assert.ok(after.appeals.some((a: { target: string }) => a.target === caseId));
    });

    test('identical appeals at once: one is filed, the others are already_appealed', async () => {
      for (const kind of ['sanction', 'case'] as const) {
        const id =
          kind === 'case'
            ? await upheldCase('harassment')
            : (
                await h.call('POST', '/v1/sanctions', {
                  token: f.moderator,
                  body: { subject: f.tom, kind: 'warning', reason: 'Twice at once' },
                })
              ).body.id;
        const all = await appealsAtOnce(kind, id);
        assert.deepEqual(
          all.map((r) => r.status).sort(),
          [201, 409, 409, 409],
          JSON.stringify(all.map((r) => r.body)),
        );
        assert.ok(all.filter((r) => r.status === 409).every((r) => r.body.error === 'already_appealed'));
        const mine = (await h.call('GET', '/v1/me', { token: f.subject })).body.appeals;
        assert.equal(mine.filter((a: { target: string }) => a.target === id).length, 1);
      }
    });

    // Four at once, each past its check that no appeal was filed, before any has written one.
    const appealsAtOnce = (kind: 'case' | 'sanction', id: string) =>
      race(
        h,
        {
          hold: (trx) =>
            kind === 'case'
              ? trx.updateTable('cases').set({ updated_at: 'held' }).where('id', '=', id).execute()
              : trx
                  .insertInto('appeals')
                  .values({
                    ...{ id: 'apl_heldheldheldheld', kind, target_id: id, subject_id: f.tom },
                    ...{ queue: 'moderator', status: 'pending', sealed_reason: Buffer.from('held') },
                    ...{ filed_at: 'held', filed_by: 'held', decision_by: 'held' },
                    ...{ sealed_rationale: null, decided_at: null, decided_by: null },
                  })
                  .execute(),
          waiting: kind === 'case' ? 'update "cases"' : 'insert into "appeals"',
          count: 4,
        },
        () => Promise.all([1, 2, 3, 4].map(() => appeal({ kind, id }))),
      );

    test('the queue pages with an opaque cursor; a malformed one is a 400; a decided appeal names its kind', async () => {
      for (const reason of ['One', 'Two', 'Three']) {
        const imposed = await h.call('POST', '/v1/sanctions', {
          token: f.moderator,
          body: { subject: f.tom, kind: 'warning', reason },
        });
        assert.equal((await appeal({ kind: 'sanction', id: imposed.body.id })).status, 201);
      }
      const all = (await h.call('GET', '/v1/appeals?limit=500', { token: reviewer })).body;
      assert.equal(all.cursor, undefined);
      assert.ok(all.items.length >= 3);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.call('GET', `/v1/appeals?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          token: reviewer,
        });
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.ok(page.body.items.length <= 2);
        paged.push(...page.body.items.map((a: { id: string }) => a.id));
        cursor = page.body.cursor;
      } while (cursor !== undefined);
      assert.deepEqual(
        paged,
        all.items.map((a: { id: string }) => a.id),
      );
      for (const bad of ['not-a-cursor', 'eyJ4IjoxfQ']) {
        const refused = await h.call('GET', `/v1/appeals?cursor=${bad}`, { token: reviewer });
        assert.deepEqual([refused.status, refused.body.error], [400, 'invalid_request'], bad);
      }
      const first = all.items.find((a: { kind: string }) => a.kind === 'sanction');
      assert.equal((await decideAppeal(first.id, 'upheld', reviewer)).status, 200);
      const again = await decideAppeal(first.id, 'upheld', reviewer);
      assert.deepEqual(
        [again.status, again.body.error, again.body.message],
        [409, 'no_pending_appeal', 'this sanction has no pending appeal'],
      );
    });

    test('a subject appeals only what is about itself', async () => {
      const other = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
      const imposed = await h.call('POST', '/v1/sanctions', {
        token: f.moderator,
        body: { subject: other.body.id, kind: 'warning', reason: 'Someone else' },
      });
      const before = await h.snapshot();
      const refused = await appeal({ kind: 'sanction', id: imposed.body.id });
      assert.deepEqual([refused.status, refused.body.error], [404, 'sanction_not_found']);
      assert.equal(await h.snapshot(), before);
    });
  },
  { now: clock.now },
);

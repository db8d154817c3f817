import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { sqliteFileName } from '../src/db/database.ts';
import { days, MovableClock } from './_access.ts';
import { bindReporters, report } from './_fixtures.ts';
import { bindByConsent } from './_people.ts';
import { dumpPostgresSchema, forEachStore, type Harness, personEnrolment, postgresUrl } from './_util.ts';

// Issue 15, items 5 and 6: erasure under the retention policy, held by a preservation order (and
// an open case, an active sanction), leaves nothing in the store that links the digital ID to the
// person, while the log still verifies. The clock is frozen and moved by hand: nothing sleeps.

const run = promisify(execFile);
const world = 'erasure-plaza';
const handle = 'zq-quillfeather-7781';

/** `mdis log verify` on the harness's store, as an operator runs it. */
async function verifyLog(h: Harness): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    MDIS_DATA_DIR: h.dataDir,
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
  try {
    const { stdout } = await run(process.execPath, ['src/main.ts', 'log', 'verify'], { env });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

/** Every byte of the store as text: the SQLite file and its WAL, or every PostgreSQL row. */
async function rawStore(h: Harness): Promise<string> {
  if (h.store === 'postgres') return dumpPostgresSchema(h.ctx.db);
  h.ctx.store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(h.dataDir, sqliteFileName);
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

const clock = new MovableClock({ frozen: true });

forEachStore(
  'erasure and preservation',
  (h) => {
    let admin: string;
    let registrar: string;
    let authority: string;
    let oversight: string;
    let me: string;
    let subject: string;
    let pseudonym: string;
    let platform: string;
    let airline: string;
    let caseId: string;
    const body = personEnrolment();
    body.natural.legalName = 'Zebediah Quillfeather';
    body.social.email = 'zebediah.quillfeather@example.org';
    body.social.phone = '+447700900555';

    const preserve = (extra: Record<string, unknown> = {}) => ({
      target: { world, handle },
      legalBasis: { kind: 'court_order', reference: 'CO-2026-118', issuedBy: 'Plaza Crown Court' },
      offence: 'spreading_rumors',
      days: 40,
      ...extra,
    });

    before(async () => {
      admin = await h.token({ role: 'admin' });
      registrar = await h.token({ role: 'registrar' });
      authority = await h.token({ role: 'authority', jurisdiction: 'GB' });
      oversight = await h.token({ role: 'oversight' });
      airline = await h.token({ role: 'service', actions: ['travel.air'] });
      const created = await h.call('POST', '/v1/worlds', { token: admin, body: { id: world, name: world } });
      platform = created.body.platform.token;
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      subject = enrolled.body.id;
      // Bound by the person's consent: a passkey, a session, an OpenID grant, a pseudonym.
      await bindByConsent(h, { admin, world, handle, code: enrolled.body.activation.code });
      me = await h.token({ role: 'subject', subject });
      const standing = await h.call('GET', `/v1/worlds/${world}/avatars/${handle}`, { token: platform });
      pseudonym = standing.body.pseudonym;
      assert.match(pseudonym, /^PS/);
    });

    test('a preservation without a legal basis is refused (422) and writes nothing', async () => {
      for (const [legalBasis, field] of [
        [undefined, 'legalBasis'],
        [{ kind: 'warrant', issuedBy: 'A court' }, 'legalBasis.reference'],
        [{ reference: 'W-1', issuedBy: 'A court' }, 'legalBasis.kind'],
        [{ kind: 'warrant', reference: 'W-1', issuedBy: '   ' }, 'legalBasis.issuedBy'],
      ] as const) {
        const before = await h.snapshot();
        const order = { ...preserve(), legalBasis };
        if (legalBasis === undefined) delete (order as { legalBasis?: unknown }).legalBasis;
        const reply = await h.call('POST', '/v1/preservations', { token: authority, body: order });
        assert.equal(reply.status, 422, JSON.stringify(reply.body));
        assert.equal(reply.body.error, 'legal_basis_required');
        assert.equal(reply.body.field, field);
        assert.equal(await h.snapshot(), before, 'a refused order wrote');
      }
      const tooLong = await h.call('POST', '/v1/preservations', {
        token: authority,
        body: preserve({ days: 91 }),
      });
      assert.equal(tooLong.status, 400, JSON.stringify(tooLong.body));
    });

    test('an erasure held by an open case, an active sanction or a preservation order is 409 with the reason and date; nothing written', async () => {
      await bindReporters(h, world, ['erasure-witness']);
      const filed = await h.ctx.reports.file({ ...report(world, 'erasure-witness'), handle }, 'test');
      caseId = filed.caseId;
      let before = await h.snapshot();
      const held = await h.call('POST', '/v1/me/erasure', { token: me });
      assert.equal(held.status, 409, JSON.stringify(held.body));
      assert.equal(held.body.error, 'erasure_blocked');
      assert.equal(held.body.reason, 'open_case');
      assert.equal(held.body.earliestDate, null);
      assert.equal(await h.snapshot(), before);
      const dismissed = await h.ctx.decisions.decide(
        filed.caseId,
        { outcome: 'dismissed', rationale: 'Not shown' },
        'test',
      );
      assert.ok(dismissed);

      const warned = await h.ctx.sanctions.impose(
        { subject, kind: 'restriction', actions: ['travel.air'], days: 3, reason: 'Held', source: 'manual' },
        'test',
      );
      before = await h.snapshot();
      const sanctioned = await h.call('POST', '/v1/me/erasure', { token: me });
      assert.equal(sanctioned.status, 409, JSON.stringify(sanctioned.body));
      assert.equal(sanctioned.body.reason, 'active_sanction');
      assert.equal(sanctioned.body.earliestDate, warned.endsAt);
      assert.equal(await h.snapshot(), before);
      await h.ctx.sanctions.lift(warned.id, 'Lifted', 'test');

      const ordered = await h.call('POST', '/v1/preservations', {
        token: authority,
        body: preserve({ days: 5 }),
      });
      assert.equal(ordered.status, 201, JSON.stringify(ordered.body));
      assert.equal(ordered.body.subject, subject);
      before = await h.snapshot();
      const preserved = await h.call('POST', '/v1/me/erasure', { token: me });
      assert.equal(preserved.status, 409, JSON.stringify(preserved.body));
      // Under the order's gag it holds all the same, but is neither named nor dated.
      assert.equal(preserved.body.reason, 'legal_hold');
      assert.equal(preserved.body.earliestDate, null);
      assert.ok(!/preserv/i.test(JSON.stringify(preserved.body)), JSON.stringify(preserved.body));
      const status = await h.call('GET', '/v1/me/erasure', { token: me });
      assert.deepEqual(status.body.holds, [{ reason: 'legal_hold', earliestDate: null }]);
      assert.equal(await h.snapshot(), before);

      clock.advance(days(6));
      assert.equal(await h.ctx.preservations.logLapsed(), 1);
      assert.equal(await h.ctx.preservations.logLapsed(), 0, 'a lapse is logged once');
    });

    test('a preservation holds a scheduled erasure, is extended once, and releases it when it lapses', async () => {
      const asked = await h.call('POST', '/v1/me/erasure', { token: me });
      assert.equal(asked.status, 202, JSON.stringify(asked.body));
      assert.equal(asked.body.status, 'scheduled');
      assert.equal(asked.body.dueAt, clock.in(days(30)), 'the default retention: 30 days after the request');
      const again = await h.call('POST', '/v1/me/erasure', { token: me });
      assert.equal(again.body.dueAt, asked.body.dueAt, 'asking again changes nothing');

      const ordered = await h.call('POST', '/v1/preservations', { token: authority, body: preserve() });
      assert.equal(ordered.status, 201);
      // A credential issued to the person (its row, as the issuer keeps it) and an offer not yet redeemed.
      const offered = await h.call('POST', '/v1/me/credentials/offers', {
        token: me,
        body: { configurations: ['mdis_identity'] },
      });
      assert.equal(offered.status, 201, JSON.stringify(offered.body));
      await h.ctx.db
        .insertInto('credentials')
        .values({
          id: 'vc_erasure_test',
          subject_id: subject,
          type: 'mdis_identity',
          status_list: 0,
          status_index: 9999,
          kid: 'test',
          issued_at: clock.in(0),
          expires_at: clock.in(days(365)),
          revoked_at: null,
          revoked_reason: null,
          holder_sub: null,
        })
        .execute();
      clock.advance(days(30));
      assert.deepEqual(await h.ctx.erasures.eraseDue(), { erased: 0, held: 1, remaining: 0 });
      const status = await h.call('GET', '/v1/me/erasure', { token: me });
      assert.deepEqual(status.body.holds, [{ reason: 'preservation', earliestDate: ordered.body.endsAt }]);

      const extended = await h.call('POST', `/v1/preservations/${ordered.body.id}/extend`, {
        token: authority,
        body: { days: 10 },
      });
      assert.equal(extended.status, 200, JSON.stringify(extended.body));
      assert.equal(Date.parse(extended.body.endsAt) - Date.parse(ordered.body.endsAt), days(10));
      const before = await h.snapshot();
      const twice = await h.call('POST', `/v1/preservations/${ordered.body.id}/extend`, {
        token: authority,
        body: { days: 10 },
      });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error, 'preservation_extended');
      assert.equal(await h.snapshot(), before);

      // The person is told once the gag (spreading_rumors: 14 days) has ended.
      const record = await h.call('GET', '/v1/me', { token: me });
      assert.equal(record.status, 200, JSON.stringify(record.body));
      assert.deepEqual(
        record.body.preservations.map((p: { id: string; extended: boolean; status: string }) => [
          p.id === ordered.body.id,
          p.extended,
          p.status,
        ]),
        [
          [true, true, 'active'],
          [false, false, 'lapsed'],
        ],
        'both orders, newest first, are past their gag',
      );
      const listed = await h.call('GET', '/v1/preservations', { token: oversight });
      assert.equal(listed.body.items.length, 2);
      // The period ends just after now: the frozen clock put the extension at its very instant.
      const report = await h.call('GET', `/v1/transparency/report?to=${clock.in(1)}`);
      assert.deepEqual(report.body.preservations, {
        ordered: 2,
        extended: 1,
        byLegalBasis: { court_order: 3 },
      });

      clock.advance(days(19));
      assert.deepEqual(await h.ctx.erasures.eraseDue(), { erased: 0, held: 1, remaining: 0 });
      clock.advance(days(1));
      assert.deepEqual(await h.ctx.erasures.eraseDue(), { erased: 1, held: 0, remaining: 0 });
      const progress = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'erasure pass');
      assert.deepEqual(
        progress.map((l) => [l.erased, l.held, l.remaining]),
        [
          [0, 1, 0],
          [0, 1, 0],
          [1, 0, 0],
        ],
      );
      assert.ok(!h.logs.join('\n').includes(subject), 'the progress lines name no one');
      await h.ctx.ledger.sync();
      const kinds = (await h.ctx.ledger.entries(0, h.ctx.ledger.size)).map((e) => JSON.parse(e.entry).kind);
      for (const kind of [
        'erasure.requested',
        'erasure.blocked',
        'subject.erased',
        'preservation.ordered',
        'preservation.extended',
        'preservation.lapsed',
      ]) {
        assert.ok(kinds.includes(kind), `${kind} is in the log`);
      }
    });

    test('the erased digital ID answers 410 erased', async () => {
      const read = await h.call('GET', `/v1/subjects/${subject}?purpose=support`, { token: admin });
      assert.equal(read.status, 410, JSON.stringify(read.body));
      assert.deepEqual(Object.keys(read.body).sort(), ['error', 'message']);
      assert.equal(read.body.error, 'erased');
      const checked = await h.call('GET', `/v1/eligibility?subject=${subject}&action=travel.air`, {
        token: airline,
      });
      assert.equal(checked.status, 410, JSON.stringify(checked.body));
      const patched = await h.call('PATCH', `/v1/subjects/${subject}/attributes`, {
        token: registrar,
        body: { social: { occupation: 'Ghost' } },
      });
      assert.equal(patched.status, 410);
      const closed = await h.call('POST', `/v1/subjects/${subject}/closure`, {
        token: registrar,
        body: { reason: 'death' },
      });
      assert.equal(closed.status, 410);
      const preserved = await h.call('POST', '/v1/preservations', {
        token: authority,
        body: { ...preserve(), target: { subject } },
      });
      assert.equal(preserved.status, 410);
      const disclosure = await h.call('POST', '/v1/disclosures', {
        token: authority,
        body: {
          target: { subject },
          scope: ['natural'],
          legalBasis: {
            kind: 'warrant',
            reference: 'W-ERASED',
            issuedBy: 'Plaza Crown Court',
            expiresAt: clock.in(days(30)),
          },
          offence: 'spreading_rumors',
          purpose: 'Asked about an erased subject',
          case: caseId,
        },
      });
      assert.equal(disclosure.status, 410, JSON.stringify(disclosure.body));
      const avatar = await h.call('GET', `/v1/worlds/${world}/avatars/${handle}`, { token: platform });
      assert.equal(avatar.status, 404, 'the binding has ended');
      // Lists of many subjects' records still answer: the erased one's texts read "[erased]".
      const moderator = await h.token({ role: 'moderator' });
      const sanctions = await h.call('GET', '/v1/sanctions?limit=50', { token: moderator });
      assert.equal(sanctions.status, 200, JSON.stringify(sanctions.body));
      const kept = sanctions.body.items.find((s: { subject: string }) => s.subject === subject);
      assert.equal(kept?.reason, '[erased]', 'its sanction stays, as a statistic, its reason unreadable');
      const signedIn = await h.call('GET', '/v1/me', { token: me });
      assert.equal(signedIn.status, 401, 'the person’s own principal is revoked');
    });

    test('nothing in the store links the ID to the person; the data key is gone; the log verifies', async () => {
      const key = await h.ctx.db
        .selectFrom('subjects')
        .select(['wrapped_key', 'dedup_hash'])
        .where('id', '=', subject)
        .executeTakeFirstOrThrow();
      assert.equal(key.wrapped_key.length, 0, 'the wrapped data key is destroyed');
      assert.equal(key.dedup_hash, `erased:${subject}`);
      const count = async (table: 'subject_attributes' | 'avatars' | 'credit_scores' | 'credit_history') =>
        (await h.ctx.db.selectFrom(table).select('subject_id').where('subject_id', '=', subject).execute())
          .length;
      for (const table of ['subject_attributes', 'avatars', 'credit_scores', 'credit_history'] as const) {
        assert.equal(await count(table), 0, `${table} keeps rows of the erased subject`);
      }
      const haystack = await rawStore(h);
      assert.ok(haystack.includes(subject), 'read the store');
      for (const needle of [
        body.natural.legalName,
        body.natural.document.number,
        body.social.email,
        body.social.phone,
        handle,
        pseudonym,
      ]) {
        assert.ok(!haystack.includes(needle), `found "${needle}" in the store`);
      }
      const credential = await h.ctx.db
        .selectFrom('credentials')
        .select('revoked_reason')
        .where('id', '=', 'vc_erasure_test')
        .executeTakeFirstOrThrow();
      assert.equal(credential.revoked_reason, 'erased', 'the person’s credentials are revoked');
      const offers = await h.ctx.db
        .selectFrom('credential_offers')
        .select('subject_id')
        .where('subject_id', '=', subject)
        .execute();
      assert.equal(offers.length, 0, 'its offers are gone');
      const openings = await h.ctx.db
        .selectFrom('ledger_openings')
        .select('idx')
        .where('subject_id', '=', subject)
        .execute();
      assert.equal(openings.length, 0, 'the openings of the log’s commitments to the person are gone');
      await h.ctx.ledger.checkpoint();
      const verified = await verifyLog(h);
      assert.equal(verified.code, 0, verified.out);
    });

    test('a registrar closes a subject: erased after the closure retention, re-enrolment gets a new ID', async () => {
      const again = personEnrolment();
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: again });
      const before = await h.snapshot();
      const bad = await h.call('POST', `/v1/subjects/${enrolled.body.id}/closure`, {
        token: registrar,
        body: { reason: 'boredom' },
      });
      assert.equal(bad.status, 400);
      assert.equal(await h.snapshot(), before);
      const closed = await h.call('POST', `/v1/subjects/${enrolled.body.id}/closure`, {
        token: registrar,
        body: { reason: 'duplicate' },
      });
      assert.equal(closed.status, 202, JSON.stringify(closed.body));
      assert.equal(closed.body.reason, 'duplicate');
      assert.equal(closed.body.dueAt, clock.in(days(30)));
      clock.advance(days(30));
      assert.deepEqual(await h.ctx.erasures.eraseDue(), { erased: 1, held: 0, remaining: 0 });
      const reenrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: again });
      assert.equal(reenrolled.status, 201, 'the identifier hash went with the erasure');
      assert.notEqual(reenrolled.body.id, enrolled.body.id);
    });
  },
  { now: clock.now },
);

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { reportMaxAgeMs } from '../src/access/transparency-report.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { openCheckpoint } from '../src/ledger/checkpoint.ts';
import type { Act } from '../src/ledger/ledger-service.ts';
import { accessFixture, days, emergency, hourMs, MovableClock, warrant } from './_access.ts';
import { forEachStore, type Harness, postgresUrl } from './_util.ts';

const run = promisify(execFile);
// Frozen between moves: the cache's age is compared with its bound.
const clock = new MovableClock({ frozen: true });

/** Runs `mdis transparency report` on the harness's store. */
async function reportCli(h: Harness, args: string[]): Promise<string> {
  const env = {
    ...process.env,
    MDIS_DATA_DIR: h.dataDir,
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
  const { stdout } = await run(process.execPath, ['src/main.ts', 'transparency', 'report', ...args], { env });
  return stdout;
}

forEachStore(
  'the transparency report',
  (h) => {
    let f: Awaited<ReturnType<typeof accessFixture>>;
    let start: string;
    let earlier: { size: number; root: Buffer };
    let end: string;
    const ask = async (body: Record<string, unknown>) =>
      h.call('POST', '/v1/disclosures', { token: f.authority, body: await f.withCase(body) });
    const report = async (period = `from=${start}&to=${end}`) => {
      const reply = await h.call('GET', `/v1/transparency/report?${period}`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply.body;
    };
    /** Appends acts the way other parts of mdis log them (staff reads, principal changes). */
    const append = (acts: Act[]) =>
      inTransaction(h.ctx.db, async (trx) => {
        for (const act of acts) await h.ctx.ledger.append(trx, act);
      });
    const decide = (id: string, verdict: string) =>
      h.call('POST', `/v1/disclosures/${id}/${verdict}`, { token: f.oversight, body: { reason: 'Decided' } });

    // A period with one of each: approved and read twice, refused, pending, an emergency left
    // unreviewed past its deadline, and two requests the policy refused. Fraud goes without a
    // case (the default allows it), as does spam (refused before any case is looked at).
    before(async () => {
      clock.reset();
      f = await accessFixture(h);
      earlier = await h.ctx.ledger.checkpoint();
      clock.advance(60_000);
      start = clock.now().toISOString();
      const approved = (await ask(warrant(clock))).body.id;
      await decide(approved, 'approve');
      for (let i = 0; i < 2; i++) await h.call('GET', `/v1/disclosures/${approved}`, { token: f.authority });
      const refused = (await ask(warrant(clock, { offence: 'fraud' }))).body.id;
      await decide(refused, 'refuse');
      const court = { ...warrant(clock).legalBasis, kind: 'court_order' };
      await ask(warrant(clock, { offence: 'hate_speech', legalBasis: court }));
      await ask(emergency(clock));
      await ask(warrant(clock, { offence: 'spam' }));
      await ask(warrant(clock, { legalBasis: { ...warrant(clock).legalBasis, expiresAt: clock.in(-1) } }));
      clock.advance(73 * hourMs);
      await h.ctx.ledger.checkpoint();
      end = clock.in(1000);
    });

    test('counts the period’s requests by basis, outcome, offence and review, with the log at its end', async () => {
      const report = (await h.call('GET', `/v1/transparency/report?from=${start}&to=${end}`)).body;
      assert.equal(report.requests, 6);
      assert.deepEqual(report.byLegalBasis, { warrant: 4, court_order: 1, statute: 0, emergency: 1 });
      assert.deepEqual(report.byOutcome, { granted: 2, refused: 1, refused_by_policy: 2, pending: 1 });
      assert.deepEqual(report.byOffence, {
        spreading_rumors: 2,
        fraud: 1,
        hate_speech: 1,
        harassment: 1,
        spam: 1,
      });
      assert.deepEqual(report.byJurisdiction, { GB: 6 });
      assert.deepEqual(report.refusalReasons, { offence_not_disclosable: 1, legal_basis_expired: 1 });
      assert.deepEqual(report.emergency, {
        requests: 1,
        reviewed: 0,
        reviewedOnTime: 0,
        reviewedLate: 0,
        overdue: 1,
      });
      assert.equal(report.reads, 2);
      // Rumours twice, hate speech and harassment named their cases; fraud and spam did not.
      assert.deepEqual(report.byCase, { withCase: 4, withoutCase: 2 });
      const signed = openCheckpoint(
        (await h.call('GET', '/v1/log/checkpoint')).body as string,
        h.ctx.ledger.verifierKey,
      );
      assert.equal(report.log.size, signed.size);
      assert.equal(report.log.root, signed.root.toString('base64'));
    });

    test('a period that ended before the requests counts none, and shows the log as it was then', async () => {
      const report = (await h.call('GET', `/v1/transparency/report?to=${start}`)).body;
      assert.equal(report.requests, 0);
      assert.deepEqual(report.byOutcome, { granted: 0, refused: 0, refused_by_policy: 0, pending: 0 });
      assert.deepEqual(report.byOffence, {});
      assert.equal(report.log.size, earlier.size);
      assert.equal(report.log.root, earlier.root.toString('base64'));
      assert.equal(Date.parse(report.from), Date.parse(start) - days(365));
    });

    test('a late review is counted as late, not overdue', async () => {
      const overdue = await h.call('GET', '/v1/disclosures?overdue=true', { token: f.oversight });
      assert.equal(overdue.body.items.length, 1);
      await decide(overdue.body.items[0].id, 'approve');
      const report = (await h.call('GET', `/v1/transparency/report?from=${start}&to=${end}`)).body;
      assert.deepEqual(report.emergency, {
        requests: 1,
        reviewed: 1,
        reviewedOnTime: 0,
        reviewedLate: 1,
        overdue: 0,
      });
    });

    test('mdis transparency report says the same as the API', async () => {
      const api = (await h.call('GET', `/v1/transparency/report?from=${start}&to=${end}`)).body;
      const json = JSON.parse(await reportCli(h, ['--from', start, '--to', end, '--json']));
      assert.deepEqual(json, api);
      const text = await reportCli(h, ['--from', start, '--to', end]);
      assert.match(text, /^Disclosure requests from .* to .*: 6$/m);
      assert.match(text, /^ {2}refused_by_policy: 2$/m);
      assert.match(text, new RegExp(`^log at .*: ${api.log.size} entries, root `, 'm'));
      assert.match(text, /^ {2}withoutCase: 2$/m);
      assert.match(text, /^break-glass acts: 0$/m);
    });

    test('every other power: staff reads by purpose, break-glass acts, principal changes, from the log', async () => {
      clock.advance(days(1));
      const from = clock.now().toISOString();
      const staff = (purpose: string): Act => ({
        kind: 'subject.read',
        actor: 'prn_registrar',
        refs: { role: 'registrar', purpose },
      });
      const principal = (change: string, refs: Act['refs'] = {}): Act => ({
        kind: `principal.${change}`,
        actor: 'prn_admin',
        refs: { principal: 'prn_other', role: 'oversight', ...refs },
      });
      await append([
        staff('support'),
        staff('support'),
        staff('enrolment_check'),
        principal('created'),
        principal('created', { breakGlass: true }),
        principal('revoked', { breakGlass: true }),
        principal('proposed'),
        principal('approved'),
        principal('refused'),
        { kind: 'policy.activated', actor: 'cli', refs: { breakGlass: true } },
        // Not counted: no flag that is not true, no kind that only starts like one.
        { kind: 'policy.activated', actor: 'cli', refs: { breakGlass: 'true' } },
        principal('created_elsewhere', { breakGlass: false }),
      ]);
      // And through the API: a request on a case, and one without (fraud may go without).
      assert.equal((await ask(warrant(clock))).status, 201);
      assert.equal((await ask(warrant(clock, { offence: 'fraud' }))).status, 201);
      const counted = await report(`from=${from}&to=${clock.in(1000)}`);
      assert.deepEqual(counted.staffReads, {
        total: 3,
        byPurpose: { support: 2, enrolment_check: 1 },
      });
      assert.deepEqual(counted.breakGlass, {
        total: 3,
        byKind: { 'principal.created': 1, 'principal.revoked': 1, 'policy.activated': 1 },
      });
      assert.deepEqual(counted.principalChanges, {
        created: 2,
        revoked: 1,
        proposed: 1,
        approved: 1,
        refused: 1,
      });
      assert.deepEqual(counted.byCase, { withCase: 1, withoutCase: 1 });
      assert.equal(counted.requests, 2);
      // The period before counts none of them.
      const earlier = await report(`from=${start}&to=${from}`);
      assert.deepEqual(earlier.staffReads, { total: 0, byPurpose: {} });
      assert.equal(earlier.breakGlass.total, 0);
      // The principals the fixture made for the requests (a registrar to enrol a reporter) only.
      const made = await h.ctx.ledger.entriesOfKind('principal.created', start, from);
      assert.equal(earlier.principalChanges.created, made.length);
      assert.equal(earlier.principalChanges.revoked, 0);
    });

    test(`cached: served again for at most ${reportMaxAgeMs} ms while the log does not grow`, async () => {
      clock.advance(days(1));
      const from = clock.now().toISOString();
      const to = clock.in(days(10));
      const period = `from=${from}&to=${to}`;
      assert.equal((await ask(emergency(clock))).status, 201);
      // Just before the emergency's deadline; nothing will read it or log its passing meanwhile.
      clock.advance(72 * hourMs - 1000);
      const first = await report(period);
      assert.equal(first.emergency.overdue, 0);
      clock.advance(2000);
      assert.deepEqual(await report(period), first, 'the same report, though its deadline has passed');
      clock.advance(reportMaxAgeMs);
      const later = await report(period);
      assert.equal(later.emergency.overdue, 1, 'recounted once the cache is too old');
      // A new log entry makes it recount at once.
      await append([{ kind: 'subject.read', actor: 'prn_registrar', refs: { purpose: 'audit' } }]);
      assert.equal((await report(period)).staffReads.total, 1);
    });

    test('public: no token needed, and none is looked at', async () => {
      const reply = await h.call('GET', '/v1/transparency/report', { token: 'not-a-token' });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    });
  },
  { now: clock.now },
);

// The public-route limiter, per client address: the report is no way around it.
forEachStore(
  'the transparency report is rate limited',
  (h) => {
    test('over the public rate: 429 rate_limited with retry-after, nothing written', async () => {
      const untouched = await h.snapshot();
      for (let i = 0; i < 2; i++) assert.equal((await h.call('GET', '/v1/transparency/report')).status, 200);
      const limited = await h.call('GET', '/v1/transparency/report');
      assert.equal(limited.status, 429, JSON.stringify(limited.body));
      assert.equal(limited.body.error, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal(await h.snapshot(), untouched);
    });
  },
  { config: { publicRateLimit: { perSecond: 1, burst: 2 } }, server: { clock: () => 1_000_000 } },
);

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { openCheckpoint } from '../src/ledger/checkpoint.ts';
import { accessFixture, days, emergency, hourMs, MovableClock, warrant } from './_access.ts';
import { forEachStore, type Harness, postgresUrl } from './_util.ts';

const run = promisify(execFile);
const clock = new MovableClock();

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
    const ask = (body: unknown) => h.call('POST', '/v1/disclosures', { token: f.authority, body });
    const decide = (id: string, verdict: string) =>
      h.call('POST', `/v1/disclosures/${id}/${verdict}`, { token: f.oversight, body: { reason: 'Decided' } });

    // A period with one of each: approved and read twice, refused, pending, an emergency left
    // unreviewed past its deadline, and two requests the policy refused.
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
      const reply = await h.call('GET', `/v1/transparency/report?from=${start}&to=${end}`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      const report = reply.body;
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
      assert.deepEqual(report.emergency, { requests: 1, reviewed: 0, reviewedLate: 0, overdue: 1 });
      assert.equal(report.reads, 2);
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
      assert.deepEqual(report.emergency, { requests: 1, reviewed: 1, reviewedLate: 1, overdue: 0 });
    });

    test('mdis transparency report says the same as the API', async () => {
      const api = (await h.call('GET', `/v1/transparency/report?from=${start}&to=${end}`)).body;
      const json = JSON.parse(await reportCli(h, ['--from', start, '--to', end, '--json']));
      assert.deepEqual(json, api);
      const text = await reportCli(h, ['--from', start, '--to', end]);
      assert.match(text, /^Disclosure requests from .* to .*: 6$/m);
      assert.match(text, /^ {2}refused_by_policy: 2$/m);
      assert.match(text, new RegExp(`^log at .*: ${api.log.size} entries, root `, 'm'));
    });
  },
  { now: clock.now },
);

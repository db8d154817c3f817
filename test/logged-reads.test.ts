import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, test } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createContext, scheduledJobs } from '../src/context.ts';
import { checkCountFlushMs } from '../src/enforcement/check-counts.ts';
import type { Enrolment } from '../src/identity/attributes.ts';
import { newDigitalId } from '../src/identity/digital-id.ts';
import { dayMs } from '../src/util/time.ts';
import { commitsTo, entriesSince, logSize } from './_access.ts';
import { forEachStore, type Harness, personEnrolment, tempDir, testConfig } from './_util.ts';

// Issue 13, item 1: every staff read of a decrypted profile names a purpose of the policy and is
// an entry of the log in the read's own transaction (no log, no data); the person sees each read,
// and the eligibility checks about them counted per checker, action and day.

const clock = { ms: Date.parse('2026-12-01T09:00:00Z'), now: () => new Date(clock.ms) };

forEachStore(
  'logged reads of profiles',
  (h) => {
    let registrar: { id: string; token: string };
    let admin: string;
    let subject: string;
    let person: string;
    const enrolment = personEnrolment();

    before(async () => {
      const made = await h.ctx.principals.create({
        role: 'registrar',
        name: 'Ana at the Civil Registry',
        organisation: 'Civil Registry of Ruritania',
      });
      registrar = { id: made.principal.id, token: made.token };
      admin = await h.token({ role: 'admin' });
      enrolment.natural.legalName = 'Philippa Readwell';
      const created = await h.call('POST', '/v1/subjects', { token: registrar.token, body: enrolment });
      assert.equal(created.status, 201);
      subject = created.body.id;
      person = await h.token({ role: 'subject', subject });
    });

    test('a read with a purpose is one subject.read entry naming who, role and purpose, no values', async () => {
      const from = await logSize(h);
      const read = await h.call('GET', `/v1/subjects/${subject}?purpose=enrolment_check`, {
        token: registrar.token,
      });
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.natural, enrolment.natural);
      const entries = await entriesSince(h, from);
      assert.equal(entries.length, 1);
      const [entry] = entries;
      assert.equal(entry.kind, 'subject.read');
      assert.equal(entry.actor, registrar.id);
      assert.ok(await commitsTo(h, entry, 'subject', subject), 'the subject only as a commitment');
      assert.deepEqual(entry.refs, {
        role: 'registrar',
        organisation: 'Civil Registry of Ruritania',
        purpose: 'enrolment_check',
      });
      assert.equal(entry.digest, undefined, 'nothing of what was read, not even a digest');
      for (const value of [
        enrolment.natural.legalName,
        enrolment.natural.document.number,
        'tom@example.org',
      ]) {
        assert.ok(!entry.text.includes(value), `the entry holds "${value}"`);
      }
    });

    test('with ?history=true the read is logged the same way', async () => {
      const from = await logSize(h);
      const read = await h.call('GET', `/v1/subjects/${subject}?history=true&purpose=audit`, {
        token: admin,
      });
      assert.equal(read.status, 200);
      assert.equal(read.body.history.length, 3);
      const entries = await entriesSince(h, from);
      assert.deepEqual(
        entries.map((e) => [e.kind, e.refs.role, e.refs.purpose]),
        [['subject.read', 'admin', 'audit']],
      );
    });

    test('no purpose, or one the policy does not list, is a 400 and nothing is written', async () => {
      const before = await h.snapshot();
      for (const [query, code] of [
        ['', 'purpose_required'],
        ['?purpose=', 'purpose_required'],
        ['?history=true', 'purpose_required'],
        ['?purpose=curiosity', 'unknown_purpose'],
        ['?purpose=AUDIT', 'unknown_purpose'],
        ['?purpose=audit&purpose=support', 'invalid_request'],
      ] as const) {
        const reply = await h.call('GET', `/v1/subjects/${subject}${query}`, { token: admin });
        assert.equal(reply.status, 400, query);
        assert.equal(reply.body.error, code, query);
        assert.equal(reply.body.natural, undefined);
        if (code !== 'invalid_request') {
          assert.equal(reply.body.field, 'purpose');
          assert.deepEqual(reply.body.purposes, ['enrolment_check', 'correction', 'support', 'audit']);
        }
      }
      // The purpose is judged before the subject is looked up: a 400 says nothing of who exists.
      const unknown = await h.call('GET', `/v1/subjects/${newDigitalId()}?purpose=curiosity`, {
        token: admin,
      });
      assert.equal(unknown.body.error, 'unknown_purpose');
      const missing = await h.call('GET', `/v1/subjects/${newDigitalId()}?purpose=support`, { token: admin });
      assert.equal(missing.status, 404);
      assert.equal(await h.snapshot(), before);
    });

    test('when the log refuses the entry, the read fails and returns nothing', async () => {
      const before = await h.snapshot();
      const size = await logSize(h);
      await refuseLogEntries(h);
      try {
        const read = await h.call('GET', `/v1/subjects/${subject}?purpose=support`, { token: admin });
        assert.equal(read.status, 500);
        assert.deepEqual(Object.keys(read.body).sort(), ['error', 'message']);
        assert.ok(!JSON.stringify(read.body).includes(enrolment.natural.legalName));
      } finally {
        await allowLogEntries(h);
      }
      assert.equal(await h.snapshot(), before);
      assert.equal(await logSize(h), size);
      // The log takes entries again: so do reads.
      const again = await h.call('GET', `/v1/subjects/${subject}?purpose=support`, { token: admin });
      assert.equal(again.status, 200);
      assert.equal(await logSize(h), size + 1);
    });

    test('the person sees every read: when, by what role and organisation, why; never the name', async () => {
      const other = await h.call('POST', '/v1/subjects', { token: registrar.token, body: personEnrolment() });
      const otherPerson = await h.token({ role: 'subject', subject: other.body.id });
      const from = await logSize(h);
      clock.ms += 60_000;
      await h.call('GET', `/v1/subjects/${subject}?purpose=correction`, { token: registrar.token });
      const [entry] = await entriesSince(h, from);

      const access = await h.call('GET', '/v1/me/access', { token: person });
      assert.equal(access.status, 200);
      const reads = access.body.reads.items;
      // enrolment_check, audit (history), support (after the refused one), correction: newest first
      assert.deepEqual(
        reads.map((r: { purpose: string }) => r.purpose),
        ['correction', 'support', 'audit', 'enrolment_check'],
      );
      assert.deepEqual(Object.keys(reads[0]).sort(), [
        'at',
        'id',
        'logIndex',
        'organisation',
        'principal',
        'purpose',
        'role',
      ]);
      assert.equal(reads[0].role, 'registrar');
      assert.equal(reads[0].organisation, 'Civil Registry of Ruritania');
      assert.equal(reads[0].principal, registrar.id);
      assert.equal(reads[0].at, clock.now().toISOString());
      assert.equal(reads[0].logIndex, entry.idx);
      assert.ok(!JSON.stringify(access.body).includes('Ana at the Civil Registry'));
      assert.deepEqual(access.body.disclosures, { items: [] });

      const theirs = await h.call('GET', '/v1/me/access', { token: otherPerson });
      assert.deepEqual(theirs.body.reads, { items: [] });
    });

    test('each list pages on its own with an opaque cursor', async () => {
      const first = await h.call('GET', '/v1/me/access?list=reads&limit=3', { token: person });
      assert.equal(first.status, 200);
      assert.equal(first.body.checks, undefined);
      assert.equal(first.body.reads.items.length, 3);
      const cursor = first.body.reads.cursor;
      assert.equal(typeof cursor, 'string');
      const second = await h.call('GET', `/v1/me/access?list=reads&limit=3&cursor=${cursor}`, {
        token: person,
      });
      assert.deepEqual(
        second.body.reads.items.map((r: { purpose: string }) => r.purpose),
        ['enrolment_check'],
      );
      assert.equal(second.body.reads.cursor, undefined);

      const before = await h.snapshot();
      const noList = await h.call('GET', `/v1/me/access?cursor=${cursor}`, { token: person });
      assert.equal(noList.status, 400);
      assert.equal(noList.body.field, 'list');
      const badList = await h.call('GET', '/v1/me/access?list=everything', { token: person });
      assert.equal(badList.status, 400);
      const badCursor = await h.call('GET', '/v1/me/access?list=checks&cursor=nope', { token: person });
      assert.equal(badCursor.body.field, 'cursor');
      assert.equal(await h.snapshot(), before);
    });

    test('eligibility checks are counted per service, action and day, and shown to the person', async () => {
      const airline = await h.ctx.principals.create({
        role: 'service',
        name: 'Skyways',
        actions: ['travel.air', 'finance.credit'],
      });
      const bank = await h.ctx.principals.create({
        role: 'service',
        name: 'Bank',
        actions: ['finance.credit'],
      });
      const check = (token: string, action: string, who = subject) =>
        h.call('GET', `/v1/eligibility?subject=${who}&action=${action}`, { token });
      const day1 = clock.now().toISOString().slice(0, 10);
      for (let i = 0; i < 3; i++) assert.equal((await check(airline.token, 'travel.air')).status, 200);
      await check(airline.token, 'finance.credit');
      const batch = await h.call('POST', '/v1/eligibility', {
        token: bank.token,
        body: {
          checks: [
            { subject, action: 'finance.credit' },
            { subject, action: 'travel.air' },
          ],
        },
      });
      assert.equal(batch.body.results[1].error, 'forbidden');
      // Neither a refused check nor one about no one is counted.
      assert.equal((await check(bank.token, 'travel.air')).status, 403);
      assert.equal((await check(bank.token, 'finance.credit', newDigitalId())).status, 404);

      // Counted in memory: the store has nothing until the counts are written.
      const unwritten = await h.call('GET', '/v1/me/access?list=checks', { token: person });
      assert.deepEqual(unwritten.body.checks, { items: [] });
      assert.equal(await h.ctx.checkCounts.flush(), 3);
      assert.equal(h.ctx.checkCounts.pending, 0);

      // Two more on the same day add to the rows written; one the next day is a row of its own.
      await check(airline.token, 'travel.air');
      await check(airline.token, 'travel.air');
      clock.ms += dayMs;
      const day2 = clock.now().toISOString().slice(0, 10);
      await check(airline.token, 'travel.air');
      assert.equal(await h.ctx.checkCounts.flush(), 2);

      const access = await h.call('GET', '/v1/me/access?list=checks', { token: person });
      const rows = access.body.checks.items.map(
        (c: {
          day: string;
          checker: { id: string; name: string; role: string };
          action: string;
          count: number;
        }) => [c.day, c.checker.name, c.checker.role, c.action, c.count],
      );
      // Newest day first; within a day by checker id, then action.
      const day1Rows = [
        [airline.principal.id, 'Skyways', 'finance.credit', 1],
        [airline.principal.id, 'Skyways', 'travel.air', 5],
        [bank.principal.id, 'Bank', 'finance.credit', 1],
      ].sort(([a, , x], [b, , y]) => (`${a} ${x}` < `${b} ${y}` ? -1 : 1));
      assert.deepEqual(rows, [
        [day2, 'Skyways', 'service', 'travel.air', 1],
        ...day1Rows.map(([, name, action, count]) => [day1, name, 'service', action, count]),
      ]);
      const paged = await h.call('GET', '/v1/me/access?list=checks&limit=2', { token: person });
      const rest = await h.call(
        'GET',
        `/v1/me/access?list=checks&limit=2&cursor=${paged.body.checks.cursor}`,
        {
          token: person,
        },
      );
      assert.deepEqual([...paged.body.checks.items, ...rest.body.checks.items], access.body.checks.items);
      const other = await h.call('POST', '/v1/subjects', { token: registrar.token, body: personEnrolment() });
      const theirs = await h.call('GET', '/v1/me/access', {
        token: await h.token({ role: 'subject', subject: other.body.id }),
      });
      assert.deepEqual(theirs.body.checks, { items: [] });
    });

    test('counts taken before a subject is erased are not written back after it', async () => {
      const airline = await h.ctx.principals.create({
        role: 'service',
        name: 'Late Air',
        actions: ['travel.air'],
      });
      const other = await h.call('POST', '/v1/subjects', { token: registrar.token, body: personEnrolment() });
      const check = await h.call('GET', `/v1/eligibility?subject=${other.body.id}&action=travel.air`, {
        token: airline.token,
      });
      assert.equal(check.status, 200);
      // Erased (on this instance or another) between the check and the next write of the counts.
      await h.ctx.db
        .updateTable('subjects')
        .set({ erased_at: clock.now().toISOString() })
        .where('id', '=', other.body.id)
        .execute();
      await h.ctx.checkCounts.flush();
      const rows = await h.ctx.db
        .selectFrom('eligibility_check_counts')
        .select('subject_id')
        .where('subject_id', '=', other.body.id)
        .execute();
      assert.deepEqual(rows, []);
    });

    test('the purposes a read may name are listed for staff', async () => {
      const reply = await h.call('GET', '/v1/policy/read-purposes', { token: registrar.token });
      assert.deepEqual(reply.body, { purposes: ['enrolment_check', 'correction', 'support', 'audit'] });
    });

    test('a staff principal is created with the organisation it acts for; a subject has none', async () => {
      const created = await h.call('POST', '/v1/principals', {
        token: admin,
        body: { role: 'moderator', name: 'Ben', organisation: '  Plaza Trust & Safety ' },
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.principal.organisation, 'Plaza Trust & Safety');
      const whoami = await h.call('GET', '/v1/whoami', { token: created.body.token });
      assert.equal(whoami.body.organisation, 'Plaza Trust & Safety');

      const before = await h.snapshot();
      for (const [body, expected] of [
        [{ role: 'subject', subject, organisation: 'Acme' }, 'does not apply to role subject'],
        [{ role: 'registrar', organisation: '   ' }, 'must be 1 to 100 characters'],
        [{ role: 'registrar', organisation: 'x'.repeat(101) }, 'organisation'],
      ] as const) {
        const refused = await h.call('POST', '/v1/principals', { token: admin, body });
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.match(refused.body.message, new RegExp(expected));
      }
      assert.equal(await h.snapshot(), before);
    });
  },
  { now: clock.now },
);

test('the check counts are written by a scheduled job, and at shutdown', async () => {
  const dataDir = tempDir('check-counts');
  const config = testConfig('sqlite', dataDir);
  try {
    const ctx = await createContext(config, { logger: pino({ level: 'silent' }) });
    const job = scheduledJobs(ctx).find((j) => j.name === 'write check counts');
    assert.equal(job?.everyMs, checkCountFlushMs);
    const subject = (await ctx.subjects.enrol(personEnrolment() as Enrolment, 'test')).id;
    const service = (await ctx.principals.create({ role: 'service', actions: ['travel.air'] })).principal;
    await ctx.eligibility.checkFor(service, subject, 'travel.air', undefined);
    await job!.run();
    await ctx.eligibility.checkFor(service, subject, 'travel.air', undefined);
    await ctx.eligibility.checkFor(service, subject, 'travel.air', undefined);
    assert.equal(ctx.checkCounts.pending, 1);
    // Closing writes what was counted since the last pass.
    await ctx.close();
    const reopened = await createContext(config, { logger: pino({ level: 'silent' }) });
    try {
      const counts = await reopened.checkCounts.countsOf(subject, { limit: 10 });
      assert.deepEqual(
        counts.items.map((c) => [c.checker.id, c.action, c.count]),
        [[service.id, 'travel.air', 3]],
      );
    } finally {
      await reopened.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// A real refusal by the store: a trigger that aborts every insert into the log.
async function refuseLogEntries(h: Harness): Promise<void> {
  if (h.store === 'sqlite') {
    await sql`create trigger refuse_log before insert on ledger_entries begin select raise(abort, 'the log refuses'); end`.execute(
      h.ctx.db,
    );
    return;
  }
  await sql`create function refuse_log() returns trigger language plpgsql as $$ begin raise exception 'the log refuses'; end $$`.execute(
    h.ctx.db,
  );
  await sql`create trigger refuse_log before insert on ledger_entries for each row execute function refuse_log()`.execute(
    h.ctx.db,
  );
}

async function allowLogEntries(h: Harness): Promise<void> {
  if (h.store === 'sqlite') {
    await sql`drop trigger refuse_log`.execute(h.ctx.db);
    return;
  }
  await sql`drop trigger refuse_log on ledger_entries`.execute(h.ctx.db);
  await sql`drop function refuse_log()`.execute(h.ctx.db);
}

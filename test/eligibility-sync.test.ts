import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { type AppContext, createContext, openCommandContext } from '../src/context.ts';
import type { Enrolment } from '../src/identity/attributes.ts';
import type { PolicyDocument } from '../src/policy/policy.ts';
import { personEnrolment, postgresUrl, tempDir } from './_util.ts';

/** How soon another instance hears of a committed change (docs/eligibility.md). */
const syncBoundMs = 1000;

/** Polls until `probe` holds or the time is up; returns whether it held. */
async function eventually(probe: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return probe();
}

describe('eligibility across instances over one PostgreSQL database', {
  skip: postgresUrl === undefined,
}, () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dataDir = tempDir('sync');
  const masterKey = randomBytes(32);
  let a: AppContext;
  let b: AppContext;
  let tom: string;

  const open = () =>
    createContext(
      loadConfig({ dataDir, databaseUrl: postgresUrl, databaseSchema: schema, secrets: { masterKey } }, {}),
      { logger: pino({ level: 'silent' }) },
    );
  const air = (ctx: AppContext) => ctx.eligibility.check(tom, 'travel.air', undefined);

  before(async () => {
    a = await open();
    b = await open();
    tom = (await a.subjects.enrol(personEnrolment() as Enrolment, 'test')).id;
  });
  after(async () => {
    await a?.close();
    await b?.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a subject enrolled on one instance is known at once on the other', async () => {
    assert.deepEqual(await air(b), { allowed: true, reason: 'eligible', sanctionIds: [] });
  });

  test('a sanction imposed on one instance denies on the other; lifting it allows again', async () => {
    const sanction = await a.sanctions.impose(
      { subject: tom, kind: 'restriction', actions: ['travel.air'], reason: 'test', source: 'manual' },
      'test',
    );
    assert.ok(await eventually(async () => (await air(b)).allowed === false), 'B saw the sanction');
    assert.deepEqual(await air(b), { allowed: false, reason: 'restricted', sanctionIds: [sanction.id] });
    await a.sanctions.lift(sanction.id, 'test over', 'test');
    assert.ok(await eventually(async () => (await air(b)).allowed), 'B saw the lift');
  });

  test('a change made while an instance had lost its listener is caught up when it reconnects', async () => {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where query = ${`listen ${b.eligibility.channel}`}`.execute(a.db);
    const sanction = await a.sanctions.impose(
      { subject: tom, kind: 'restriction', actions: ['travel.air'], reason: 'while away', source: 'manual' },
      'test',
    );
    assert.ok(
      await eventually(async () => (await air(b)).allowed === false, 8000),
      'B rebuilt after reconnecting',
    );
    assert.deepEqual((await air(b)).sanctionIds, [sanction.id]);
  });

  test('an instance closed while its listener is away does not come back to listen', async () => {
    const own = `t_${randomBytes(6).toString('hex')}`;
    const c = await createContext(
      loadConfig({ dataDir, databaseUrl: postgresUrl, databaseSchema: own, secrets: { masterKey } }, {}),
      { logger: pino({ level: 'silent' }) },
    );
    const listeners = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
                                 where query = ${`listen ${c.eligibility.channel}`}`.execute(a.db)
      ).rows[0]!.n;
    try {
      assert.equal(await listeners(), 1);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                where query = ${`listen ${c.eligibility.channel}`}`.execute(a.db);
      // Closed after it noticed the loss, and before it reconnects (a second later).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await c.close();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(await listeners(), 0);
    } finally {
      await sql`drop schema if exists ${sql.id(own)} cascade`.execute(a.db);
    }
  });
});

describe('a policy change recomputed on one instance reaches the others', {
  skip: postgresUrl === undefined,
}, () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const dataDir = tempDir('sync-policy');
  const masterKey = randomBytes(32);
  const open = (policyFile?: string) =>
    createContext(
      loadConfig(
        { dataDir, databaseUrl: postgresUrl, databaseSchema: schema, secrets: { masterKey }, policyFile },
        {},
      ),
      { logger: pino({ level: 'silent' }) },
    );
  const opened: AppContext[] = [];

  after(async () => {
    for (const ctx of opened) await ctx.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the grade changes the recompute makes deny on the other instance within the bound', async () => {
    const a = await open();
    opened.push(a);
    const tom = (await a.subjects.enrol(personEnrolment() as Enrolment, 'test')).id;
    const b = await open();
    opened.push(b);
    const air = () => b.eligibility.check(tom, 'travel.air', undefined);
    assert.deepEqual(await air(), { allowed: true, reason: 'eligible', sanctionIds: [] });
    const before = await a.credit.state(tom);
    assert.notEqual(before.grade, 'D');

    // The same policy but for its grade bands: the lowest, D, now reaches up to tom's score, and
    // each band above it is one point wide but the top one.
    const document = JSON.parse(fs.readFileSync('policy/default.json', 'utf8')) as PolicyDocument;
    const bands = document.credit.grades;
    assert.equal(bands.at(-1)!.grade, 'D');
    bands.forEach((band, i) => {
      const above = bands.length - 1 - i;
      if (above > 0) band.min = before.score + above;
      if (i > 0) band.max = before.score + above;
    });
    const policyFile = path.join(dataDir, 'stricter.json');
    fs.writeFileSync(policyFile, JSON.stringify(document));
    // A third instance starts under it: it puts it in force and recomputes every score.
    const c = await open(policyFile);
    opened.push(c);
    assert.equal((await c.credit.state(tom)).grade, 'D');

    const denied = await eventually(async () => !(await air()).allowed, syncBoundMs);
    assert.ok(denied, `B still allowed travel.air ${syncBoundMs} ms after the recompute committed`);
    assert.deepEqual(await air(), { allowed: false, reason: 'grade', sanctionIds: [] });
  });

  test('a command (as mdis credit recompute opens it) holds no LISTEN connection', async () => {
    const channel = opened[0]!.eligibility.channel;
    const listeners = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
                                 where query = ${`listen ${channel}`}`.execute(opened[0]!.db)
      ).rows[0]!.n;
    assert.equal(await listeners(), opened.length);
    const command = await openCommandContext(
      loadConfig({ dataDir, databaseUrl: postgresUrl, databaseSchema: schema, secrets: { masterKey } }, {}),
      { logger: pino({ level: 'silent' }) },
    );
    try {
      assert.equal(await listeners(), opened.length);
    } finally {
      await command.close();
    }
  });
});

if (postgresUrl === undefined) {
  test('SKIPPED: eligibility across instances needs MDIS_TEST_POSTGRES_URL', { skip: true }, () => {});
}

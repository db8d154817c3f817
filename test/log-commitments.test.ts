import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { createContext } from '../src/context.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { buildServer } from '../src/http/server.ts';
import { type Opening, opensEntry } from '../src/ledger/commitments.ts';
import { leafHash, MerkleTree } from '../src/ledger/merkle.ts';
import { readStoredLog } from '../src/ledger/stored-log.ts';
import { verifyEntries } from '../src/ledger/verify.ts';
import { canonicalJson } from '../src/util/canonical-json.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { call, forEachStore, type Harness, personEnrolment, postgresUrl } from './_util.ts';

const run = promisify(execFile);

/** Runs `mdis log verify` with `args`, on the harness's store unless given --url. */
async function verifyCli(h: Harness, args: string[] = []): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    MDIS_DATA_DIR: h.dataDir,
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
  try {
    const { stdout } = await run(process.execPath, ['src/main.ts', 'log', 'verify', ...args], { env });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const opening = (o: { ref: string; value: string | null; salt: string }): Opening => ({
  ref: o.ref,
  value: o.value,
  salt: Buffer.from(o.salt, 'base64url'),
});

forEachStore('the public log links no one', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let auditor: string;
  const rawEntries = async () =>
    (await h.ctx.db.selectFrom('ledger_entries').select(['idx', 'entry']).orderBy('idx').execute()).map(
      (row) => ({ index: Number(row.idx), entry: row.entry }),
    );

  before(async () => {
    f = await conductFixture(h);
    await bindReporters(h, f.world, ['alice']);
    auditor = await h.token({ role: 'auditor' });
    const filed = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') });
    const decided = await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
      token: f.moderator,
      body: {
        outcome: 'upheld',
        severity: 2,
        rationale: 'Rumours of a bank run',
        sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
      },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    // Tom appeals himself: an act whose actor is his own principal.
    const appealed = await h.call('POST', `/v1/cases/${filed.body.caseId}/appeal`, {
      token: f.subject,
      body: { reason: 'I only repeated what the news said' },
    });
    assert.equal(appealed.status, 200, JSON.stringify(appealed.body));
    await h.ctx.ledger.checkpoint();
  });

  test('the raw entries hold no digital ID, pseudonym, handle or person’s own principal', async () => {
    const entries = await rawEntries();
    const text = entries.map((e) => e.entry).join('\n');
    const subjects = await h.ctx.db.selectFrom('subjects').select('id').execute();
    const avatars = await h.ctx.db.selectFrom('avatars').select(['pseudonym', 'handle']).execute();
    const own = await h.ctx.db.selectFrom('principals').select('id').where('role', '=', 'subject').execute();
    assert.ok(subjects.length >= 2 && avatars.length >= 2 && own.length >= 1);
    for (const { id } of subjects) assert.ok(!text.includes(id), `digital ID ${id} is not in the log`);
    for (const { pseudonym, handle } of avatars) {
      assert.ok(!text.includes(pseudonym), `pseudonym ${pseudonym} is not in the log`);
      assert.ok(!text.includes(`"${handle}"`), `handle ${handle} is not in the log`);
    }
    for (const { id } of own) assert.ok(!text.includes(id), `the person's principal ${id} is not in the log`);
    // They are there as commitments: Tom's binding, and his appeal, done by "a subject".
    const parsed = entries.map((e) => JSON.parse(e.entry));
    const bound = parsed.find((e) => e.kind === 'avatar.bound');
    assert.deepEqual(Object.keys(bound.commitments).sort(), ['actor', 'pseudonym', 'subject']);
    assert.equal(bound.actor, 'subject');
    const appeal = parsed.find((e) => e.kind === 'case.appealed');
    assert.equal(appeal.actor, 'subject');
    assert.ok(appeal.commitments.actor && appeal.commitments.subject);
    assert.ok(parsed.filter((e) => e.idx > 0).every((e) => e.v === 2));
    assert.deepEqual([parsed[0].kind, parsed[0].refs], ['log.format', { version: 2 }]);
  });

  test('no two entries share a commitment, and staff stay visible', async () => {
    const parsed = (await rawEntries()).map((e) => JSON.parse(e.entry));
    const all = parsed.flatMap((e) => Object.values(e.commitments ?? {}));
    assert.ok(all.length > 10);
    assert.equal(new Set(all).size, all.length);
    const decided = parsed.find((e) => e.kind === 'case.decided');
    assert.match(decided.actor, /^prn_/, 'the moderator answers for the decision by name');
    assert.equal(decided.commitments.actor, undefined);
  });

  test('Tom opens every commitment to him through /v1/me/log, a page at a time', async () => {
    const all = (await h.call('GET', '/v1/me/log?limit=500', { token: f.subject })).body.items;
    const kinds = all.map((item: { entry: string }) => JSON.parse(item.entry).kind);
    for (const kind of ['subject.enrolled', 'avatar.bound', 'report.filed', 'case.decided', 'case.appealed'])
      assert.ok(kinds.includes(kind), `${kind} is among Tom's entries`);
    const size = h.ctx.ledger.size;
    const public_ = (await h.call('GET', `/v1/log/entries?start=0&end=${size}`)).body.entries;
    for (const item of all) {
      assert.equal(item.entry, public_[item.index].entry, 'the entry is the public one');
      assert.ok(item.openings.length > 0);
      for (const o of item.openings) assert.ok(opensEntry(item.entry, opening(o)), `${item.index} ${o.ref}`);
      const subject = item.openings.find((o: { ref: string }) => o.ref === 'subject');
      if (subject !== undefined) assert.equal(subject.value, f.tom);
    }
    const appeal = all.find((item: { entry: string }) => JSON.parse(item.entry).kind === 'case.appealed');
    assert.ok(appeal.openings.some((o: { ref: string; value: string }) => o.ref === 'actor'));
    // A forged opening does not open it.
    const forged = { ...appeal.openings[0], value: 'MD0000000000000000000000' };
    assert.equal(opensEntry(appeal.entry, opening(forged)), false);

    const paged = [];
    let cursor: string | undefined;
    do {
      const page = await h.call('GET', `/v1/me/log?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: f.subject,
      });
      assert.equal(page.status, 200);
      paged.push(...page.body.items);
      cursor = page.body.cursor;
    } while (cursor !== undefined);
    assert.deepEqual(paged, all);
    const bad = await h.call('GET', '/v1/me/log?cursor=nonsense', { token: f.subject });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'cursor');
  });

  test('another person sees none of Tom’s entries', async () => {
    const registrar = await h.token({ role: 'registrar' });
    const other = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
    const token = await h.token({ role: 'subject', subject: other.body.id });
    const items = (await h.call('GET', '/v1/me/log', { token })).body.items;
    assert.ok(items.length >= 2, 'their enrolment and principal');
    for (const item of items) {
      for (const o of item.openings) assert.notEqual(o.value, f.tom);
      assert.ok(item.openings.every((o: Opening & { salt: string }) => opensEntry(item.entry, opening(o))));
    }
  });

  test('an auditor opens any commitment; no one else may read the openings', async () => {
    const size = h.ctx.ledger.size;
    const read = await h.call('GET', `/v1/log/openings?start=0&end=${size}`, { token: auditor });
    assert.equal(read.status, 200);
    const entries = await rawEntries();
    for (const o of read.body.openings) assert.ok(opensEntry(entries[o.index]!.entry, opening(o)));
    const bound = read.body.openings.find(
      (o: { index: number; ref: string }) =>
        JSON.parse(entries[o.index]!.entry).kind === 'avatar.bound' && o.ref === 'subject',
    );
    assert.equal(bound.value, f.tom);
    assert.equal(bound.subject, f.tom);
    for (const token of [f.moderator, f.subject, f.admin]) {
      const refused = await h.call('GET', '/v1/log/openings?start=0&end=1', { token });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'forbidden');
    }
    assert.equal((await h.call('GET', '/v1/log/openings?start=0&end=1')).status, 401);
    const tooMany = await h.call('GET', '/v1/log/openings?start=0&end=1001', { token: auditor });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.field, 'end');
  });

  test('the entries are public, and mdis log verify --url needs no token', async () => {
    const size = h.ctx.ledger.size;
    const open = await h.call('GET', `/v1/log/entries?start=0&end=${size}`);
    assert.equal(open.status, 200);
    assert.equal(open.body.entries.length, size);
    await h.ctx.ledger.checkpoint();
    // Listening now: the harness closes the app after the suite.
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const anyone = await verifyCli(h, ['--url', address]);
    assert.equal(anyone.code, 0, anyone.out);
    assert.match(anyone.out, /^ok: \d+ entries/m);
    const withToken = await verifyCli(h, ['--url', address, '--token', auditor]);
    assert.equal(withToken.code, 0, withToken.out);
  });
});

/** `count` entries of format 1, as a store kept them before commitments, chained by their roots. */
function formatOneEntries(count: number, subject: string) {
  const tree = new MerkleTree();
  return Array.from({ length: count }, (_, idx) => {
    const at = new Date(Date.UTC(2026, 10, 1, 0, idx)).toISOString();
    const entry = canonicalJson({
      v: 1,
      idx,
      at,
      kind: 'credit.changed',
      actor: 'system',
      refs: { subject, score: 990 - idx, grade: 'A', cause: 'policy' },
      prev: Buffer.from(tree.root()).toString('base64'),
    });
    const leaf = Buffer.from(leafHash(Buffer.from(entry)));
    tree.append(leaf);
    return { idx, entry, leaf_hash: leaf, created_at: at };
  });
}

forEachStore('a log kept before commitments', (h) => {
  test('its format 1 entries, the switch, then format 2: it verifies, over HTTP too, and hides the old entries', async () => {
    const { db } = h.ctx;
    const auditor = await h.token({ role: 'auditor' });
    const tom = (await h.call('POST', '/v1/subjects', {
      token: await h.token({ role: 'registrar' }),
      body: personEnrolment(),
    })) as { body: { id: string } };
    // The store as an older mdis left it: format 1 entries only, naming Tom in the clear.
    for (const table of ['ledger_entries', 'ledger_salts', 'ledger_openings', 'ledger_checkpoints'] as const)
      await db.deleteFrom(table).execute();
    await db.insertInto('ledger_entries').values(formatOneEntries(5, tom.body.id)).execute();
    // A new mdis starts on it (twice: the second switches nothing again), and logs an act.
    await (await createContext(h.ctx.config, { logger: pino({ level: 'silent' }) })).close();
    const ctx = await createContext(h.ctx.config, { logger: pino({ level: 'silent' }) });
    const app = await buildServer(ctx);
    try {
      assert.equal(ctx.ledger.committingFrom, 5);
      await inTransaction(ctx.db, (trx) =>
        ctx.ledger.append(trx, { kind: 'credit.changed', actor: 'system', refs: { subject: tom.body.id } }),
      );
      await ctx.ledger.checkpoint();

      const log = await readStoredLog(db);
      const report = await verifyEntries({
        entries: log.entries,
        checkpoint: log.checkpoint,
        verifierKey: ctx.ledger.verifierKey,
      });
      assert.deepEqual(report.problems, []);
      assert.equal(report.size, 7);
      assert.equal(report.committingFrom, 5);
      const cli = await verifyCli(h);
      assert.equal(cli.code, 0, cli.out);

      // The public gets the old entries' leaf hashes only; auditors read them in full.
      const open = (await call(app, 'GET', '/v1/log/entries?start=0&end=7')).body.entries;
      assert.deepEqual(
        open.map((e: { entry?: string }) => e.entry === undefined),
        [true, true, true, true, true, false, false],
      );
      assert.ok(!JSON.stringify(open).includes(tom.body.id));
      const full = await call(app, 'GET', '/v1/log/entries/full?start=0&end=7', { token: auditor });
      assert.equal(full.body.entries[0].entry.includes(tom.body.id), true);
      assert.equal((await call(app, 'GET', '/v1/log/entries/full?start=0&end=7')).status, 401);
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const anyone = await verifyCli(h, ['--url', address]);
      assert.equal(anyone.code, 0, anyone.out);
      assert.match(
        anyone.out,
        /^note: 5 entries from before the switch to commitments were checked by their leaf hashes only/m,
      );
      const audited = await verifyCli(h, ['--url', address, '--token', auditor]);
      assert.equal(audited.code, 0, audited.out);
      assert.doesNotMatch(audited.out, /note:/);
    } finally {
      await app.close();
      await ctx.close();
    }

    // An entry of format 1 after the switch, or one of format 2 naming someone, is named.
    const rows = await db.selectFrom('ledger_entries').select(['idx', 'entry']).orderBy('idx').execute();
    const tampered = (index: number, change: (e: Record<string, unknown>) => void) =>
      rows.map((row) => {
        if (Number(row.idx) !== index) return { index: Number(row.idx), entry: row.entry };
        const parsed = JSON.parse(row.entry);
        change(parsed);
        return { index, entry: canonicalJson(parsed) };
      });
    const check = async (entries: { index: number; entry?: string }[]) => {
      async function* each() {
        yield* entries;
      }
      return verifyEntries({ entries: each(), checkpoint: undefined, verifierKey: h.ctx.ledger.verifierKey });
    };
    const named = await check(
      tampered(6, (e) => {
        e.refs = { subject: tom.body.id };
      }),
    );
    assert.equal(named.firstBadIndex, 6);
    assert.match(named.problems[0]!, /names a person in the clear \(refs\.subject\)/);
    const older = await check(
      tampered(6, (e) => {
        e.v = 1;
      }),
    );
    assert.match(older.problems[0]!, /entry 6: format 1 after the log switched to format 2 at entry 5/);
    const hidden = rows.map((row) => ({ index: Number(row.idx) }));
    assert.match((await check(hidden)).problems[0]!, /entry 0: missing/);
  });
});

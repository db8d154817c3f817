import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { openCheckpoint } from '../src/ledger/checkpoint.ts';
import { verifyConsistency, verifyInclusion } from '../src/ledger/merkle.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { forEachStore, type Harness, postgresUrl } from './_util.ts';

const run = promisify(execFile);
const unb64 = (s: string) => Buffer.from(s, 'base64');

/** Runs `mdis log verify` on the harness's store (SQLite file, or its PostgreSQL schema). */
async function verifyCli(h: Harness, extra: string[] = []): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    MDIS_DATA_DIR: h.dataDir,
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
  try {
    const { stdout } = await run(process.execPath, ['src/main.ts', 'log', 'verify', ...extra], { env });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

forEachStore('the transparency log', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let auditor: string;
  const entries = async () => {
    const size = h.ctx.ledger.size;
    return (await h.call('GET', `/v1/log/entries?start=0&end=${size}`, { token: auditor })).body.entries as {
      index: number;
      entry: string;
    }[];
  };

  before(async () => {
    f = await conductFixture(h);
    await bindReporters(h, f.world, ['alice']);
    auditor = await h.token({ role: 'auditor' });
    const filed = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'alice') });
    await h.call('POST', `/v1/cases/${filed.body.caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'upheld', severity: 1, rationale: 'Zanzibar-coloured rumours', sanctions: [] },
    });
    await h.ctx.ledger.checkpoint();
  });

  test('every sensitive act is in the log, with no personal data', async () => {
    const all = await entries();
    const kinds = new Set(all.map((e) => JSON.parse(e.entry).kind));
    for (const kind of [
      'policy.activated',
      'principal.created',
      'world.registered',
      'subject.enrolled',
      'avatar.bound',
      'report.filed',
      'case.decided',
      'sanction.imposed',
      'credit.changed',
    ]) {
      assert.ok(kinds.has(kind), `${kind} is logged`);
    }
    const text = all.map((e) => e.entry).join('\n');
    for (const secret of [
      'Thomas Example',
      'tom@example.org',
      '+447700900123',
      'Zanzibar',
      'insolvent',
      'alice',
    ]) {
      assert.ok(!text.includes(secret), `"${secret}" is not in the log`);
    }
  });

  test('the checkpoint is signed, covers the log and every entry’s inclusion proof verifies', async () => {
    const note = (await h.call('GET', '/v1/log/checkpoint')).body as string;
    const verifierKey = (await h.call('GET', '/v1/log/key')).body.trim();
    const checkpoint = openCheckpoint(note, verifierKey);
    assert.equal(checkpoint.size, h.ctx.ledger.size);
    for (let index = 0; index < checkpoint.size; index++) {
      const proof = (await h.call('GET', `/v1/log/proof/inclusion?index=${index}&size=${checkpoint.size}`))
        .body;
      assert.equal(proof.root, checkpoint.root.toString('base64'));
      assert.ok(
        verifyInclusion(
          unb64(proof.leafHash),
          index,
          checkpoint.size,
          proof.hashes.map(unb64),
          checkpoint.root,
        ),
      );
    }
  });

  test('a new checkpoint is consistent with the old one', async () => {
    const old = openCheckpoint((await h.call('GET', '/v1/log/checkpoint')).body, h.ctx.ledger.verifierKey);
    await h.call('POST', '/v1/principals', { token: f.admin, body: { role: 'registrar' } });
    await h.ctx.ledger.checkpoint();
    const now = openCheckpoint((await h.call('GET', '/v1/log/checkpoint')).body, h.ctx.ledger.verifierKey);
    assert.ok(now.size > old.size);
    const proof = (await h.call('GET', `/v1/log/proof/consistency?from=${old.size}&to=${now.size}`)).body;
    assert.ok(verifyConsistency(old.size, now.size, old.root, now.root, proof.hashes.map(unb64)));
  });

  test('proofs beyond the tree are 400; entries are public', async () => {
    const size = h.ctx.ledger.size;
    const beyond = await h.call('GET', `/v1/log/proof/inclusion?index=${size}&size=${size}`);
    assert.equal(beyond.status, 400);
    assert.equal(beyond.body.error, 'invalid_request');
    assert.equal((await h.call('GET', `/v1/log/proof/consistency?from=1&to=${size + 1}`)).status, 400);
    assert.equal((await h.call('GET', '/v1/log/entries?start=0&end=1')).status, 200);
    assert.equal((await h.call('GET', '/v1/log/entries?start=0&end=1', { token: f.moderator })).status, 200);
  });

  test('mdis log verify passes a clean log and checks an earlier checkpoint', async () => {
    const earlier = path.join(h.dataDir, 'earlier.checkpoint');
    fs.writeFileSync(earlier, (await h.call('GET', '/v1/log/checkpoint')).body);
    await h.call('POST', '/v1/principals', { token: f.admin, body: { role: 'registrar' } });
    await h.ctx.ledger.checkpoint();
    const clean = await verifyCli(h, ['--since', earlier]);
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /^ok: \d+ entries/m);
  });

  // Each tampering is done to the raw tables, checked, then undone.
  const tamperings: [string, (db: Harness['ctx']['db'], k: number) => Promise<void>][] = [
    [
      'an altered entry',
      (db, k) =>
        sql`update ledger_entries set entry = replace(entry, '"kind":"', '"kind":"x') where idx = ${k}`
          .execute(db)
          .then(() => {}),
    ],
    [
      'a removed entry',
      (db, k) => sql`delete from ledger_entries where idx = ${k}`.execute(db).then(() => {}),
    ],
    [
      'two entries swapped',
      async (db, k) => {
        await sql`update ledger_entries set idx = -1 where idx = ${k}`.execute(db);
        await sql`update ledger_entries set idx = ${k} where idx = ${k + 1}`.execute(db);
        await sql`update ledger_entries set idx = ${k + 1} where idx = -1`.execute(db);
      },
    ],
  ];
  for (const [name, tamper] of tamperings) {
    test(`mdis log verify names the first bad index of ${name}`, async () => {
      const k = 7;
      const saved = await h.ctx.db.selectFrom('ledger_entries').selectAll().execute();
      await tamper(h.ctx.db, k);
      try {
        const result = await verifyCli(h);
        assert.equal(result.code, 1, result.out);
        assert.match(result.out, new RegExp(`^first bad index: ${k}$`, 'm'));
      } finally {
        await h.ctx.db.deleteFrom('ledger_entries').execute();
        for (let i = 0; i < saved.length; i += 200) {
          await h.ctx.db
            .insertInto('ledger_entries')
            .values(saved.slice(i, i + 200))
            .execute();
        }
      }
      assert.equal((await verifyCli(h)).code, 0, 'restored');
    });
  }
});

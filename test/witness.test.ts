import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { rawPublicKey, signCheckpoint, verifierKey } from '../src/ledger/checkpoint.ts';
import { cosignatureTime, parseCosigner, splitNote } from '../src/ledger/cosignature.ts';
import { LedgerService } from '../src/ledger/ledger-service.ts';
import { leafHash, MerkleTree } from '../src/ledger/merkle.ts';
import { Witness } from '../src/ledger/witness.ts';
import { WitnessClient } from '../src/ledger/witness-client.ts';
import { witnessServer } from '../src/ledger/witness-server.ts';
import { PrincipalPeople } from '../src/principals/principal-people.ts';
import { mdis, ok, root, Server } from './_cli.ts';
import { forEachStore, type Harness, postgresUrl, tempDir } from './_util.ts';

const run = promisify(execFile);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const quiet = pino({ level: 'silent' });

/** A witness over HTTP on a free port, as `mdis witness` runs it. */
async function startWitness(dir: string, logs: string[], name = 'witness.test/w1', now?: () => Date) {
  const witness = Witness.open({ dir, name, logs, now });
  const server = witnessServer(witness, quiet);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { witness, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A log outside any store: a real Ed25519 key signing checkpoints of an in-memory tree. */
function testLog(origin = 'log.test/a') {
  const { privateKey } = generateKeyPairSync('ed25519');
  const tree = new MerkleTree();
  return {
    origin,
    tree,
    key: verifierKey(origin, rawPublicKey(privateKey)),
    grow(n: number) {
      grow(tree, n);
      return this;
    },
    /** A checkpoint of `of` (this log's tree unless another history is given) under this log's key. */
    note(size = tree.size, of: MerkleTree = tree) {
      return signCheckpoint({ origin, size, root: Buffer.from(of.root(size)) }, origin, privateKey);
    },
  };
}

function grow(tree: MerkleTree, n: number, tag = ''): MerkleTree {
  for (let i = 0; i < n; i++) tree.append(leafHash(Buffer.from(`entry ${tree.size}${tag}`)));
  return tree;
}

const addRequest = (old: number, proof: readonly Uint8Array[], note: string) =>
  `old ${old}\n${proof.map((h) => `${b64(h)}\n`).join('')}\n${note}`;

async function add(url: string, body: string) {
  const response = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('a witness (C2SP tlog-witness) over HTTP', () => {
  const dir = tempDir('witness');
  const log = testLog();
  let w: Awaited<ReturnType<typeof startWitness>>;
  const state = () => fs.readFileSync(path.join(dir, 'witness-state.json'), 'utf8');

  before(async () => {
    w = await startWitness(dir, [log.key]);
  });
  after(async () => {
    await w.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('cosigns a first checkpoint from size 0, then one that grew with its consistency proof', async () => {
    log.grow(5);
    const first = await add(w.url, addRequest(0, [], log.note()));
    assert.equal(first.status, 200, first.text);
    const cosigner = parseCosigner(w.witness.verifierKey);
    const body = splitNote(log.note())!.body;
    assert.notEqual(cosignatureTime(body, first.text.split('\n'), cosigner), undefined, first.text);

    log.grow(8);
    const grown = await add(w.url, addRequest(5, log.tree.consistencyProof(5, 13), log.note()));
    assert.equal(grown.status, 200, grown.text);
    assert.equal(JSON.parse(state()).logs[log.origin].size, 13, 'on disk before the answer');
    const latest = await (await fetch(`${w.url}/checkpoint?origin=${encodeURIComponent(log.origin)}`)).text();
    assert.ok(latest.startsWith(splitNote(log.note())!.body), latest);
    assert.notEqual(
      cosignatureTime(splitNote(latest)!.body, splitNote(latest)!.signatures, cosigner),
      undefined,
    );
  });

  test('a wrong old size is a 409 with the size the witness knows, and nothing is written', async () => {
    const before = state();
    log.grow(3);
    const stale = await add(w.url, addRequest(5, log.tree.consistencyProof(5, 16), log.note()));
    assert.equal(stale.status, 409);
    assert.equal(stale.type, 'text/x.tlog.size');
    assert.equal(stale.text, '13\n');
    assert.equal(state(), before);
  });

  test('a smaller checkpoint is refused, whatever old size it claims', async () => {
    const before = state();
    const smaller = await add(w.url, addRequest(13, [], log.note(10)));
    assert.equal(smaller.status, 400, 'old size beyond the checkpoint');
    assert.equal(JSON.parse(smaller.text).error, 'malformed_checkpoint');
    const rolledBack = await add(w.url, addRequest(10, [], log.note(10)));
    assert.equal(rolledBack.status, 409);
    assert.equal(rolledBack.text, '13\n');
    assert.equal(state(), before);
  });

  test('an inconsistent checkpoint (a fork of the log) or a bad proof is a 422, and nothing is written', async () => {
    const before = state();
    // The log's own key signs a history whose first 13 entries differ: no proof joins it to ours.
    const fork = grow(new MerkleTree(), 16, ' forked');
    const inconsistent = await add(w.url, addRequest(13, fork.consistencyProof(13, 16), log.note(16, fork)));
    assert.equal(inconsistent.status, 422, inconsistent.text);
    assert.equal(JSON.parse(inconsistent.text).error, 'bad_consistency_proof');
    const proof = log.tree.consistencyProof(13, 16);
    proof[0] = Buffer.alloc(32, 7);
    assert.equal((await add(w.url, addRequest(13, proof, log.note()))).status, 422);
    assert.equal((await add(w.url, addRequest(13, [], log.note()))).status, 422, 'no proof at all');
    assert.equal(state(), before);
  });

  test('the same size with another root is a 409', async () => {
    const fork = grow(new MerkleTree(), 13, ' forked');
    const other = await add(w.url, addRequest(13, [], log.note(13, fork)));
    assert.equal(other.status, 409);
    assert.equal(other.text, '13\n');
  });

  test('an unknown log, a bad signature and a malformed request are refused, nothing written', async () => {
    const before = state();
    const stranger = testLog('log.test/unknown').grow(2);
    const unknown = await add(w.url, addRequest(0, [], stranger.note()));
    assert.deepEqual([unknown.status, JSON.parse(unknown.text).error], [404, 'unknown_log']);
    // Signed by another key under our log's name.
    const impostor = testLog(log.origin).grow(16);
    const forged = await add(w.url, addRequest(13, log.tree.consistencyProof(13, 16), impostor.note()));
    assert.deepEqual([forged.status, JSON.parse(forged.text).error], [403, 'bad_log_signature']);
    for (const bad of [
      log.note(),
      `old x\n\n${log.note()}`,
      `old 13\nnot base64\n\n${log.note()}`,
      `old 13\n${Array.from({ length: 64 }, () => `${b64(Buffer.alloc(32))}\n`).join('')}\n${log.note()}`,
      'old 13\n\nlog.test/a\n16\nroot\n',
    ]) {
      const malformed = await add(w.url, bad);
      assert.equal(malformed.status, 400, bad);
      assert.equal(JSON.parse(malformed.text).error, 'malformed_checkpoint');
    }
    assert.equal((await fetch(`${w.url}/checkpoint?origin=log.test%2Funknown`)).status, 404);
    assert.equal(state(), before);
  });

  test('its state and key survive a restart; its name cannot change under the same key', async () => {
    const again = Witness.open({ dir, name: 'witness.test/w1', logs: [log.key] });
    assert.equal(again.verifierKey, w.witness.verifierKey);
    assert.ok(again.latest(log.origin)?.includes('\n13\n'));
    assert.throws(() => Witness.open({ dir, name: 'witness.test/other', logs: [log.key] }), /cannot become/);
  });

  test('a log that rotated its key: refused under the old key alone, cosigned once its new key is given too', async () => {
    const rotated = testLog(log.origin); // the same log, signing with its next key
    log.grow(3);
    const request = addRequest(13, log.tree.consistencyProof(13, 16), rotated.note(16, log.tree));
    const refused = await add(w.url, request);
    assert.deepEqual([refused.status, JSON.parse(refused.text).error], [403, 'bad_log_signature']);
    await w.close();
    w = await startWitness(dir, [log.key, rotated.key]);
    const cosigned = await add(w.url, request);
    assert.equal(cosigned.status, 200, cosigned.text);
    assert.equal(JSON.parse(state()).logs[log.origin].size, 16);
  });
});

describe('mdis witness', () => {
  test('runs a witness process: prints its key, cosigns over HTTP, and refuses bad settings', async () => {
    const dir = tempDir('witness-cli');
    try {
      const key = (await ok(['witness', 'key', '--data', dir, '--name', 'witness.test/cli'])).trim();
      assert.match(key, /^witness\.test\/cli\+[0-9a-f]{8}\+B/);
      const log = testLog().grow(3);
      const child = spawn(
        process.execPath,
        [
          'src/main.ts',
          'witness',
          '--data',
          dir,
          '--name',
          'witness.test/cli',
          '--port',
          '0',
          '--log',
          log.key,
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        const serving = await new Promise<{ address: string; verifierKey: string }>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`mdis witness exited with ${code}`)));
          createInterface({ input: child.stdout! }).on('line', (line) => {
            const parsed = JSON.parse(line) as { msg: string; address: string; verifierKey: string };
            if (parsed.msg === 'mdis witness is serving') resolve(parsed);
          });
        });
        assert.equal(serving.verifierKey, key, 'the key printed is the key it cosigns with');
        const added = await add(serving.address, addRequest(0, [], log.note()));
        assert.equal(added.status, 200, added.text);
        const split = splitNote(log.note())!;
        assert.notEqual(cosignatureTime(split.body, added.text.split('\n'), parseCosigner(key)), undefined);
        const second = await mdis([
          'witness',
          '--data',
          dir,
          '--name',
          'witness.test/cli',
          '--port',
          '0',
          '--log',
          log.key,
        ]);
        assert.equal(second.code, 2, 'one witness process per directory');
        assert.match(second.stderr, /already served by process/);
      } finally {
        child.kill('SIGTERM');
      }
      const renamed = await mdis(['witness', 'key', '--data', dir, '--name', 'witness.test/other']);
      assert.equal(renamed.code, 2);
      assert.match(renamed.stderr, /cannot become "witness\.test\/other"/);
      const noLog = await mdis(['witness', '--data', dir, '--name', 'witness.test/cli', '--port', '0']);
      assert.equal(noLog.code, 2);
      assert.match(noLog.stderr, /needs at least one log to witness/);
      const notALogKey = await mdis(['witness', '--data', dir, '--name', 'witness.test/cli', '--log', key]);
      assert.equal(notALogKey.code, 2);
      assert.match(notALogKey.stderr, /is not a log verifier key/);
      const badServe = await mdis(['serve', '--data', dir, '--witness', 'http://127.0.0.1:1']);
      assert.equal(badServe.code, 2);
      assert.match(badServe.stderr, /--witness must be <http\(s\) URL>=<witness verifier key>/);
      const logKeyAsWitness = await mdis([
        'serve',
        '--data',
        dir,
        '--witness',
        `http://127.0.0.1:1=${log.key}`,
      ]);
      assert.equal(logKeyAsWitness.code, 2, 'a log key is not a witness key');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The harness's store, as a second process reaches it. */
function storeEnv(h: Harness): Record<string, string> {
  return {
    MDIS_MASTER_KEY: h.ctx.config.secrets.masterKey!.toString('hex'),
    MDIS_DATABASE_URL: h.store === 'postgres' ? postgresUrl! : '',
    MDIS_DATABASE_SCHEMA: h.schema ?? '',
  };
}

/** Runs `mdis log verify` on the harness's store (SQLite file, or its PostgreSQL schema). */
async function verifyCli(h: Harness, extra: string[] = []): Promise<{ code: number; out: string }> {
  const env = { ...process.env, MDIS_DATA_DIR: h.dataDir, ...storeEnv(h) };
  try {
    const { stdout } = await run(process.execPath, ['src/main.ts', 'log', 'verify', ...extra], { env });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

/** A URL where nothing listens: a port taken and let go. */
async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/**
 * A door in front of a witness that holds the first `count` requests until all of them have come,
 * then lets each through (and every later one at once): callers that ask together are answered
 * only once each of them has asked.
 */
async function gathering(target: string, count: number) {
  const held: (() => void)[] = [];
  const door = { url: '', requests: 0, close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    door.requests += 1;
    if (held.length < count) {
      await new Promise<void>((resolve) => {
        held.push(resolve);
        if (held.length === count) for (const open of held) open();
      });
    }
    const answer = await fetch(target + req.url, { method: req.method, body: Buffer.concat(chunks) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  door.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  door.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return door;
}

forEachStore('checkpoints cosigned by witnesses', (h) => {
  const witnessDir = tempDir('witness-of-log');
  let w: Awaited<ReturnType<typeof startWitness>>;
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const witnessArg = () => `${w.url}=${w.witness.verifierKey}`;
  const cosigned = (note: string): boolean => {
    const split = splitNote(note);
    const cosigner = parseCosigner(w.witness.verifierKey);
    return split !== undefined && cosignatureTime(split.body, split.signatures, cosigner) !== undefined;
  };
  /** Another instance of the log over the same store (a restarted server), with these witnesses. */
  const instance = async (witnesses: { url: string; verifierKey: string }[]) => {
    const ledger = new LedgerService({
      db: h.ctx.db,
      engine: h.ctx.store.engine,
      keyring: h.ctx.keyring,
      origin: h.ctx.ledger.origin,
      people: new PrincipalPeople(h.ctx.db),
      schema: h.schema,
      now: () => new Date(),
      witnesses: new WitnessClient({ witnesses, timeoutMs: 5_000, logger }),
    });
    await ledger.init();
    return ledger;
  };

  before(async () => {
    w = await startWitness(witnessDir, [h.ctx.ledger.verifierKey]);
  });
  after(async () => {
    await w.close();
    fs.rmSync(witnessDir, { recursive: true, force: true });
  });

  test('mdis serve --witness publishes checkpoints that carry the witness’s cosignature', async () => {
    // Its first admin is a new log entry, so it signs a checkpoint within a tick of starting.
    const server = await Server.start(h.dataDir, ['--witness', witnessArg()], storeEnv(h));
    try {
      let note = '';
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        note = await (await fetch(`${server.url}/v1/log/checkpoint`)).text();
        if (cosigned(note)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(cosigned(note), `no cosignature on ${note}`);
      const size = Number(note.split('\n')[1]);
      assert.equal(w.witness.latest(h.ctx.ledger.origin)?.split('\n')[1], String(size));
      // Every instance serves the stored checkpoint with every signature on it.
      assert.equal((await h.call('GET', '/v1/log/checkpoint')).body, note);
      assert.equal(splitNote(note)!.signatures.length, 2, 'the log’s and the witness’s');
      // Verified over HTTP too, with the witness asked what it cosigned.
      const auditor = await h.token({ role: 'auditor' });
      const args = ['--url', server.url, '--token', auditor, '--witness', witnessArg(), '--quorum', '1'];
      const remote = await mdis(['log', 'verify', ...args]);
      assert.equal(remote.code, 0, remote.stdout + remote.stderr);
      assert.match(remote.stdout, /cosigned by a quorum of 1 witnesses/);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /^mdis_checkpoint_cosignatures_missing 0$/m);
    } finally {
      await server.stop('SIGTERM');
    }
  });

  test('mdis log verify requires a quorum of the witnesses given', async () => {
    const quorum = await verifyCli(h, ['--witness', witnessArg(), '--quorum', '1']);
    assert.equal(quorum.code, 0, quorum.out);
    assert.match(quorum.out, /^ok: \d+ entries, .*cosigned by a quorum of 1 witnesses$/m);
    const otherDir = tempDir('other-witness');
    const other = Witness.open({ dir: otherDir, name: 'witness.test/w2', logs: [] }).verifierKey;
    fs.rmSync(otherDir, { recursive: true, force: true });
    assert.equal(
      (await verifyCli(h, ['--witness', witnessArg(), '--witness', other, '--quorum', '1'])).code,
      0,
    );
    const both = await verifyCli(h, ['--witness', witnessArg(), '--witness', other]);
    assert.equal(both.code, 1, both.out);
    assert.match(
      both.out,
      /cosigned by 1 of the 2 witnesses given, fewer than the quorum of 2 \(no valid cosignature by witness\.test\/w2\)/,
    );
    const beyond = await verifyCli(h, ['--witness', other, '--quorum', '2']);
    assert.equal(beyond.code, 2);
    assert.match(beyond.out, /--quorum 2 is more than the 1 witnesses given/);
    const notAKey = await verifyCli(h, ['--witness', h.ctx.ledger.verifierKey]);
    assert.equal(notAKey.code, 1);
    assert.match(notAKey.out, /is not a witness verifier key/);
  });

  test('instances signing the same checkpoint at once are all given the one stored', async () => {
    // A witness whose clock moves a second at each cosignature, behind a door that answers neither
    // instance before both have asked: each is cosigned at another second, and only one is stored.
    const dir = tempDir('witness-at-once');
    let clock = Date.now();
    const ticking = await startWitness(dir, [h.ctx.ledger.verifierKey], 'witness.test/w3', () => {
      clock += 1000;
      return new Date(clock);
    });
    const door = await gathering(ticking.url, 2);
    try {
      const witnesses = [{ url: door.url, verifierKey: ticking.witness.verifierKey }];
      const [a, b] = await Promise.all([instance(witnesses), instance(witnesses)]);
      await h.token({ role: 'auditor' });
      const [one, two] = await Promise.all([a.checkpoint(), b.checkpoint()]);
      assert.equal(door.requests, 3, 'both asked; the second learnt the witness’s size from a 409');
      assert.equal(one.size, two.size);
      assert.equal(one.note, two.note);
      assert.equal((await h.call('GET', '/v1/log/checkpoint')).body, one.note);
    } finally {
      await door.close();
      await ticking.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a witness that is down leaves the checkpoint published without its cosignature, added once it is back', async () => {
    await h.token({ role: 'auditor' });
    const down = await instance([{ url: await deadUrl(), verifierKey: w.witness.verifierKey }]);
    const alone = await down.checkpoint();
    assert.equal(alone.size, h.ctx.ledger.tree.size + 1);
    assert.equal(splitNote(alone.note)!.signatures.length, 1, 'the log’s own signature only');
    assert.ok(logs.some((line) => line.includes('a witness could not be reached')));
    assert.equal((await h.call('GET', '/v1/log/checkpoint')).body, alone.note);
    assert.equal(await down.missingCosignatures(), 1, 'what the metric shows');

    // Back up, a quiet log's latest checkpoint gets the cosignature it lacks. A new instance knows
    // nothing of the witness: it learns its size from a 409 and proves from it.
    const caughtUp = await instance([{ url: w.url, verifierKey: w.witness.verifierKey }]);
    const completed = await caughtUp.checkpoint();
    assert.equal(completed.size, alone.size, 'the same checkpoint');
    assert.ok(cosigned(completed.note), completed.note);
    assert.ok(completed.note.startsWith(alone.note));
    assert.equal((await h.call('GET', '/v1/log/checkpoint')).body, completed.note);
    assert.equal(await caughtUp.missingCosignatures(), 0);

    await h.token({ role: 'auditor' });
    const next = await caughtUp.checkpoint();
    assert.equal(next.size, alone.size + 1);
    assert.ok(cosigned(next.note), next.note);
    assert.equal(w.witness.latest(h.ctx.ledger.origin)?.split('\n')[1], String(next.size));
  });

  test('a log truncated with its checkpoints fails verification against the witness’s last cosigned size', async () => {
    const db = h.ctx.db;
    const witnessed = Number(w.witness.latest(h.ctx.ledger.origin)!.split('\n')[1]);
    const entries = await db.selectFrom('ledger_entries').selectAll().orderBy('idx').execute();
    const checkpoints = await db.selectFrom('ledger_checkpoints').selectAll().execute();
    const k = witnessed - 3;
    await db.deleteFrom('ledger_entries').where('idx', '>=', k).execute();
    await db.deleteFrom('ledger_checkpoints').execute();
    try {
      // Restarted on the shorter log, it signs a checkpoint of it: the witness will not cosign.
      const restarted = await (
        await instance([{ url: w.url, verifierKey: w.witness.verifierKey }])
      ).checkpoint();
      assert.equal(restarted.size, k);
      assert.equal(cosigned(restarted.note), false);
      assert.ok(logs.some((line) => line.includes('a witness cosigned a larger log than this checkpoint')));
      // Without a witness (or an earlier checkpoint kept elsewhere) the shorter log looks whole.
      assert.equal((await verifyCli(h)).code, 0);
      const checked = await verifyCli(h, ['--witness', witnessArg()]);
      assert.equal(checked.code, 1, checked.out);
      assert.match(
        checked.out,
        new RegExp(
          `cosigned the log at ${witnessed} entries, but the log has only ${k}: entries were removed`,
        ),
      );
      assert.match(checked.out, new RegExp(`^first bad index: ${k}$`, 'm'));
      assert.match(checked.out, /cosigned by 0 of the 1 witnesses given, fewer than the quorum of 1/);
    } finally {
      await db.deleteFrom('ledger_entries').execute();
      await db.deleteFrom('ledger_checkpoints').execute();
      for (let i = 0; i < entries.length; i += 200) {
        await db
          .insertInto('ledger_entries')
          .values(entries.slice(i, i + 200))
          .execute();
      }
      await db.insertInto('ledger_checkpoints').values(checkpoints).execute();
    }
    assert.equal((await verifyCli(h, ['--witness', witnessArg()])).code, 0, 'restored');
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
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
import { Server } from './_cli.ts';
import { forEachStore, type Harness, postgresUrl, tempDir } from './_util.ts';

const run = promisify(execFile);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const quiet = pino({ level: 'silent' });

/** A witness over HTTP on a free port, as `mdis witness` runs it. */
async function startWitness(dir: string, logs: string[], name = 'witness.test/w1') {
  const witness = Witness.open({ dir, name, logs });
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
});

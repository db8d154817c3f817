import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { inTransaction } from '../src/db/transaction.ts';
import { openCheckpoint, rawPublicKey, signCheckpoint, verifierKey } from '../src/ledger/checkpoint.ts';
import { storeCli } from './_store-cli.ts';
import { forEachStore, type Harness, personEnrolment } from './_util.ts';

const keyIdOf = (verifier: string) => verifier.split('+')[1]!;
const cli = storeCli;

async function entriesOf(h: Harness, auditor: string) {
  const size = h.ctx.ledger.size;
  const reply = await h.call('GET', `/v1/log/entries?start=0&end=${size}`, { token: auditor });
  return (reply.body.entries as { entry: string }[]).map((e) => JSON.parse(e.entry));
}

// The clock of the serving instance: near the real one, since the CLI (another process) stamps
// the rotation with the real time; moved on by the tests that need an ID token lifetime to pass.
let clock = new Date();

forEachStore(
  'key rotation through the CLI, seen by a serving instance',
  (h) => {
    let admin: string;
    let auditor: string;
    let oldKey: string;
    let earlier: string;

    before(async () => {
      clock = new Date(); // each store's suite starts near the real time again
      admin = await h.token({ role: 'admin' });
      auditor = await h.token({ role: 'auditor' });
      await h.call('POST', '/v1/principals', { token: admin, body: { role: 'registrar' } });
      await h.ctx.ledger.checkpoint();
      oldKey = (await h.call('GET', '/v1/log/key')).body.trim();
      earlier = path.join(h.dataDir, 'earlier.checkpoint');
      fs.writeFileSync(earlier, (await h.call('GET', '/v1/log/checkpoint')).body);
    });

    test('log: the rotation is an entry signed over by the old key; the serving instance signs with the new one', async () => {
      const rotated = await cli(h, ['keys', 'rotate', '--purpose', 'log']);
      assert.equal(rotated.code, 0, rotated.err);
      const kid = /^rotated log: new key ([0-9a-f]{8})$/m.exec(rotated.out)?.[1];
      assert.ok(kid, rotated.out);
      assert.notEqual(kid, keyIdOf(oldKey));

      await h.ctx.ledger.sync();
      const entries = await entriesOf(h, auditor);
      const rotation = entries.findLast((e) => e.kind === 'log.key_rotated');
      assert.equal(rotation.refs.previous, oldKey);
      const newKey = rotation.refs.key as string;
      assert.equal(keyIdOf(newKey), kid);
      assert.ok(!entries.some((e) => e.kind === 'keys.rotated'), 'the log key is announced by its own entry');

      // The hand-over checkpoint, signed by the command: both keys.
      const handover = await h.call('GET', `/v1/log/checkpoint?covering=${rotation.idx}`);
      assert.equal(handover.status, 200);
      assert.ok(openCheckpoint(handover.body, oldKey).size > rotation.idx);
      openCheckpoint(handover.body, newKey);

      // The serving instance (its checkpoint pass, driven here) reads the rotation and signs with
      // the new key alone.
      await h.call('POST', '/v1/principals', { token: admin, body: { role: 'moderator' } });
      const next = await h.ctx.ledger.checkpoint();
      assert.ok(next.size > rotation.idx + 1);
      assert.equal(openCheckpoint(next.note, newKey).size, next.size);
      assert.throws(() => openCheckpoint(next.note, oldKey), /no valid signature/);
      assert.equal((await h.call('GET', '/v1/log/key')).body.trim(), newKey);
      const keys = (await h.call('GET', '/v1/log/keys')).body.keys;
      assert.deepEqual(
        keys.map((k: { verifierKey: string; fromSize: number }) => [k.verifierKey, k.fromSize]),
        [
          [oldKey, 0],
          [newKey, rotation.idx + 1],
        ],
      );
      assert.equal(typeof keys[0].retiredAt, 'string');
      assert.equal(keys[1].retiredAt, null);
    });

    test('mdis log verify follows the rotation: from the first key, from a pinned one, and over HTTP', async () => {
      const newKey = (await h.call('GET', '/v1/log/key')).body.trim();
      const followed = new RegExp(
        `^ok: \\d+ entries, .*1 key rotation followed to key ${keyIdOf(newKey)}`,
        'm',
      );
      const fromStore = await cli(h, ['log', 'verify', '--since', earlier]);
      assert.equal(fromStore.code, 0, fromStore.out + fromStore.err);
      assert.match(fromStore.out, followed);
      const pinnedOld = await cli(h, ['log', 'verify', '--key', oldKey]);
      assert.match(pinnedOld.out, followed);
      // Trusting the new key directly: nothing to follow.
      const pinnedNew = await cli(h, ['log', 'verify', '--key', newKey]);
      assert.equal(pinnedNew.code, 0, pinnedNew.out);
      assert.doesNotMatch(pinnedNew.out, /rotation/);

      const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
      const overHttp = await cli(h, [
        'log',
        'verify',
        '--url',
        address,
        '--token',
        auditor,
        '--since',
        earlier,
      ]);
      assert.equal(overHttp.code, 0, overHttp.out + overHttp.err);
      assert.match(overHttp.out, followed);
    });

    test('oidc: a new signing key first in the JWKS, the old one kept for the ID token lifetime', async () => {
      const before = JSON.parse((await h.call('GET', '/oidc/jwks')).body).keys.map(
        (k: { kid: string }) => k.kid,
      );
      assert.equal(before.length, 1);
      const rotated = await cli(h, ['keys', 'rotate', '--purpose', 'oidc']);
      assert.equal(rotated.code, 0, rotated.err);
      const kid = /^rotated oidc: new key (\S+)$/m.exec(rotated.out)?.[1];
      assert.ok(kid);

      // Until its reload pass runs, the instance serves the JWKS it was built with.
      assert.deepEqual(
        JSON.parse((await h.call('GET', '/oidc/jwks')).body).keys.map((k: { kid: string }) => k.kid),
        before,
      );
      assert.equal(await h.ctx.oidc.refreshKeys(), true);
      const after = JSON.parse((await h.call('GET', '/oidc/jwks')).body).keys;
      assert.deepEqual(
        after.map((k: { kid: string }) => k.kid),
        [kid, before[0]],
      );
      assert.ok(
        after.every((k: { d?: string }) => k.d === undefined),
        'public keys only',
      );

      await h.ctx.ledger.sync();
      const logged = (await entriesOf(h, auditor)).filter((e) => e.kind === 'keys.rotated');
      assert.deepEqual(
        logged.map((e) => e.refs),
        [{ purpose: 'oidc', kid }],
      );

      // Once every ID token the old key signed has expired (600 s), it leaves the JWKS.
      clock = new Date(Date.now() + 601_000);
      assert.equal(await h.ctx.oidc.refreshKeys(), true);
      const later = JSON.parse((await h.call('GET', '/oidc/jwks')).body).keys;
      assert.deepEqual(
        later.map((k: { kid: string }) => k.kid),
        [kid],
      );
      assert.equal(await h.ctx.oidc.refreshKeys(), false);
    });

    test('export: a new key signs exports; one signed before still verifies at the JWKS', async () => {
      const registrar = await h.token({ role: 'registrar' });
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const person = await h.token({ role: 'subject', subject: enrolled.body.id });
      const kidOf = (jws: string) => decodeProtectedHeader(jws).kid;
      const before = await h.call('GET', '/v1/me/export', { token: person });
      assert.equal(before.status, 200, JSON.stringify(before.body));
      assert.equal(kidOf(before.body.jws), 'mdis-export-1');

      const rotated = await cli(h, ['keys', 'rotate', '--purpose', 'export']);
      assert.equal(rotated.code, 0, rotated.err);
      assert.match(rotated.out, /^rotated export: new key mdis-export-2$/m);
      // The serving instance's reload pass, driven here.
      await h.ctx.exportKeys.refresh();
      const after = await h.call('GET', '/v1/me/export', { token: person });
      assert.equal(kidOf(after.body.jws), 'mdis-export-2');
      const jwks = createLocalJWKSet((await h.call('GET', '/.well-known/jwks.json')).body);
      for (const jws of [before.body.jws, after.body.jws]) await compactVerify(jws, jwks);
      const rotations = (await entriesOf(h, auditor)).filter((e) => e.kind === 'keys.rotated');
      assert.deepEqual(rotations.at(-1).refs, { purpose: 'export', kid: 'mdis-export-2' });
    });

    test('mdis keys list: each purpose’s keys; an unknown purpose is refused, nothing written', async () => {
      const listed = await cli(h, ['keys', 'list']);
      assert.equal(listed.code, 0, listed.err);
      const lines = listed.out.trim().split('\n');
      const log = lines.filter((line) => line.startsWith('log\t'));
      assert.equal(log.length, 2);
      assert.match(log[0]!, /\tretired \S+\tpublished with no end set$/);
      const exported = lines.filter((line) => line.startsWith('export\t'));
      assert.match(
        exported[0]!,
        /^export\tmdis-export-1\tcreated \S+\tretired \S+\tpublished with no end set$/,
      );
      assert.match(exported.at(-1)!, /^export\tmdis-export-2\tcreated \S+\tsigning$/);
      assert.match(log[1]!, /\tsigning$/);
      const oidc = lines.filter((line) => line.startsWith('oidc\t'));
      assert.equal(oidc.length, 2);
      assert.match(oidc[0]!, /^oidc\tmdis-oidc-1\tcreated \S+\tretired (\S+)\tpublished until \S+$/);
      assert.match(oidc[1]!, /\tsigning$/);
      assert.deepEqual((await cli(h, ['keys', 'list', '--purpose', 'log'])).out.trim().split('\n'), log);

      const snapshot = await h.snapshot();
      const unknown = await cli(h, ['keys', 'rotate', '--purpose', 'webauthn']);
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.err, /Allowed choices are credential, oidc, log, export/);
      const missing = await cli(h, ['keys', 'rotate']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.err, /required option '--purpose <purpose>' not specified/);
      assert.equal(await h.snapshot(), snapshot, 'nothing written');
    });
  },
  { now: () => clock },
);

/** A key the log never announced, and a checkpoint of the log as it stands signed by it. */
function foreignCheckpoint(h: Harness) {
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = verifierKey(h.ctx.ledger.origin, rawPublicKey(privateKey));
  const size = h.ctx.ledger.size;
  const root = Buffer.from(h.ctx.ledger.tree.root(size));
  const note = signCheckpoint({ origin: h.ctx.ledger.origin, size, root }, h.ctx.ledger.origin, privateKey);
  return { key, size, root, note };
}

forEachStore('key rotation: what mdis log verify refuses', (h) => {
  let admin: string;

  before(async () => {
    admin = await h.token({ role: 'admin' });
    await h.call('POST', '/v1/principals', { token: admin, body: { role: 'registrar' } });
    await h.ctx.ledger.checkpoint();
  });

  test('a checkpoint signed by a key no rotation announced', async () => {
    await h.call('POST', '/v1/principals', { token: admin, body: { role: 'moderator' } });
    await h.ctx.ledger.sync();
    const forged = foreignCheckpoint(h);
    const row = {
      size: forged.size,
      root: forged.root,
      note: forged.note,
      created_at: new Date().toISOString(),
    };
    await h.ctx.db.insertInto('ledger_checkpoints').values(row).execute();
    try {
      const result = await cli(h, ['log', 'verify']);
      assert.equal(result.code, 1, result.out);
      assert.match(
        result.out,
        new RegExp(
          `^problem: the latest checkpoint: not signed by the log's key ${keyIdOf(h.ctx.ledger.verifierKey)}; it is signed by ${keyIdOf(forged.key)}, a key no key rotation in the log announced$`,
          'm',
        ),
      );
    } finally {
      await h.ctx.db.deleteFrom('ledger_checkpoints').where('size', '=', forged.size).execute();
    }
    assert.equal((await cli(h, ['log', 'verify'])).code, 0, 'restored');
  });

  test('a forged rotation entry: its checkpoint is not signed by the key it replaces', async () => {
    const current = h.ctx.ledger.verifierKey;
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = verifierKey(h.ctx.ledger.origin, rawPublicKey(privateKey));
    // Someone with the store but not the log's key appends a rotation to a key of their own...
    const index = await inTransaction(h.ctx.db, (tx) =>
      h.ctx.ledger.append(tx, {
        kind: 'log.key_rotated',
        actor: 'operator',
        refs: { key, previous: current },
      }),
    );
    await h.ctx.ledger.sync();
    // ... and signs the checkpoint over it with that key alone.
    const size = h.ctx.ledger.size;
    const root = Buffer.from(h.ctx.ledger.tree.root(size));
    const note = signCheckpoint({ origin: h.ctx.ledger.origin, size, root }, h.ctx.ledger.origin, privateKey);
    await h.ctx.db
      .insertInto('ledger_checkpoints')
      .values({ size, root, note, created_at: new Date().toISOString() })
      .execute();
    const result = await cli(h, ['log', 'verify']);
    assert.equal(result.code, 1, result.out);
    assert.match(
      result.out,
      new RegExp(
        `^problem: entry ${index}: the key rotation to ${keyIdOf(key)} is not signed by the key it replaces \\(${keyIdOf(current)}\\)`,
        'm',
      ),
    );
    assert.match(result.out, new RegExp(`^first bad index: ${index}$`, 'm'));
    // The same over HTTP, from the checkpoint the server gives for the entry.
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const remote = await cli(h, ['log', 'verify', '--url', address]);
    assert.equal(remote.code, 1, remote.out + remote.err);
    assert.match(
      remote.out,
      new RegExp(`^problem: entry ${index}: the key rotation to ${keyIdOf(key)} is not signed`, 'm'),
    );
  });

  test('the checkpoint covering an entry: 404 when none covers it yet, 400 for a bad index', async () => {
    const beyond = await h.call('GET', `/v1/log/checkpoint?covering=${h.ctx.ledger.size + 5}`);
    assert.equal(beyond.status, 404);
    assert.deepEqual(beyond.body, {
      error: 'checkpoint_not_found',
      message: `no checkpoint covers entry ${h.ctx.ledger.size + 5} yet`,
    });
    for (const bad of ['-1', 'x', '1.5']) {
      const reply = await h.call('GET', `/v1/log/checkpoint?covering=${bad}`);
      assert.equal(reply.status, 400, bad);
      assert.equal(typeof reply.body.error, 'string');
    }
    assert.equal((await h.call('GET', '/v1/log/checkpoint?covering=0')).status, 200);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { roles } from '../src/principals/roles.ts';
import { mdis, ok, Server, withServer } from './_cli.ts';
import { personEnrolment, tempDir } from './_util.ts';

// The real `mdis` binary, run as an operator would: one process per command, a data dir each.
const dirs: string[] = [];

after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = tempDir('cli');
  dirs.push(dir);
  return dir;
}

async function createPrincipal(dir: string, ...args: string[]) {
  const out = await ok(['admin', 'principal', 'create', '--data', dir, '--json', ...args]);
  const made = JSON.parse(out) as { principal: { id: string; role: string }; token: string };
  return { id: made.principal.id, role: made.principal.role, token: made.token };
}

async function listPrincipals(dir: string) {
  const out = await ok(['admin', 'principal', 'list', '--data', dir, '--json']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The last line of stderr, where the CLI says why it failed. */
function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('mdis admin principal', () => {
  test('create --json prints one JSON line: the principal, its token, and a person’s activation code', async () => {
    const dir = dataDir();
    const run = await mdis(['admin', 'principal', 'create', '--role', 'registrar', '--data', dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').length, 2, 'one line and its newline');
    const created = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(created).sort(), ['activation', 'principal', 'token']);
    assert.match(created.principal.id, /^prn_[0-9a-z]{16}$/);
    assert.equal(created.principal.role, 'registrar');
    assert.ok(Date.parse(created.principal.createdAt) > 0);
    assert.match(created.token, /^mdis_[A-Za-z0-9_-]{43}$/);
    assert.match(created.activation.code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    assert.ok(Date.parse(created.activation.expiresAt) > 0);
    assert.ok(
      created.activation.link.endsWith(`/activate?code=${encodeURIComponent(created.activation.code)}`),
    );
    // A machine gets no code: it has no one to register a passkey.
    const service = await mdis(
      ['admin', 'principal', 'create', '--role', 'service', '--actions', 'travel.air'].concat([
        '--data',
        dir,
        '--json',
      ]),
    );
    assert.equal(service.code, 0, service.stderr);
    assert.deepEqual(Object.keys(JSON.parse(service.stdout)).sort(), ['principal', 'token']);
  });

  test('create without --json shows the token to a human, once, and a person’s activation code', async () => {
    const dir = dataDir();
    const out = await ok(['admin', 'principal', 'create', '--role', 'moderator', '--data', dir]);
    assert.match(out, /^prn_[0-9a-z]{16} +moderator/);
    assert.match(out, /^token: mdis_[A-Za-z0-9_-]{43}$/m);
    assert.match(out, /shown once/);
    assert.match(out, /^activation code: [0-9A-Z]{4}(-[0-9A-Z]{4}){4} \(once, until \d{4}-\d{2}-\d{2}T/m);
    assert.match(out, /^activation link: http.*\/activate\?code=/m);
  });

  describe('scopes', () => {
    const dir = dataDir();

    test('a platform needs --world: exit 2, one line naming it, nothing written', async () => {
      await createPrincipal(dir, '--role', 'admin'); // the store and its key exist from here on
      const before = await listPrincipals(dir);
      const run = await mdis(['admin', 'principal', 'create', '--role', 'platform', '--data', dir]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
      assert.match(run.stderr, /^mdis: .*\bworld\b/);
      assert.deepEqual(await listPrincipals(dir), before);
    });

    test('a platform for a world that does not exist is refused, naming the world', async () => {
      const before = await listPrincipals(dir);
      const args = ['admin', 'principal', 'create', '--role', 'platform', '--world', 'nope', '--data', dir];
      const run = await mdis(args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
      assert.match(run.stderr, /"nope"/);
      assert.match(run.stderr, /does not exist/);
      assert.deepEqual(await listPrincipals(dir), before);
    });

    test('a service carries its actions, and list shows them', async () => {
      const args = ['--role', 'service', '--actions', 'travel.air,finance.credit'];
      const created = await createPrincipal(dir, ...args);
      assert.equal(created.role, 'service');
      const listed = (await listPrincipals(dir)).find((p) => p.id === created.id);
      assert.deepEqual(listed?.actions, ['travel.air', 'finance.credit']);
      const human = await ok(['admin', 'principal', 'list', '--data', dir]);
      const line = human.split('\n').find((l) => l.startsWith(created.id));
      assert.match(line ?? '', /actions=travel\.air,finance\.credit/);
    });

    test('an unknown role is refused by the parser, which names the roles there are', async () => {
      const run = await mdis(['admin', 'principal', 'create', '--role', 'nope', '--data', dir]);
      assert.notEqual(run.code, 0);
      assert.notEqual(run.code, null);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /'nope'/);
      for (const role of roles) assert.match(run.stderr, new RegExp(`\\b${role}\\b`));
    });
  });

  describe('list and revoke', () => {
    const dir = dataDir();

    test('list shows every principal, one JSON object a line, and never a token', async () => {
      const created = [
        await createPrincipal(dir, '--role', 'admin'),
        await createPrincipal(dir, '--role', 'registrar', '--name', 'Civil Registry'),
        await createPrincipal(dir, '--role', 'authority', '--jurisdiction', 'GB'),
      ];
      const out = await ok(['admin', 'principal', 'list', '--data', dir, '--json']);
      const listed = out
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        listed.map((p) => [p.id, p.role]),
        created.map((p) => [p.id, p.role]),
      );
      assert.equal(listed[1].name, 'Civil Registry');
      assert.equal(listed[2].jurisdiction, 'GB');
      for (const p of created) assert.ok(!out.includes(p.token), 'no token in the list');
      for (const p of listed) assert.equal(p.revokedAt, undefined);

      const human = await ok(['admin', 'principal', 'list', '--data', dir]);
      assert.equal(human.trimEnd().split('\n').length, 3);
      assert.match(human, /Civil Registry/);
      assert.match(human, /jurisdiction=GB/);
    });

    test('revoke revokes once; again, or an unknown id, exits 2 saying why', async () => {
      const { id } = await createPrincipal(dir, '--role', 'registrar');
      const out = await ok(['admin', 'principal', 'revoke', id, '--data', dir]);
      assert.match(out, new RegExp(`^revoked ${id}`));
      const listed = (await listPrincipals(dir)).find((p) => p.id === id);
      assert.match(String(listed?.revokedAt), /^\d{4}-\d\d-\d\dT/);

      const again = await mdis(['admin', 'principal', 'revoke', id, '--data', dir]);
      assert.equal(again.code, 2);
      assert.equal(again.stdout, '');
      assert.match(lastLine(again.stderr), /already revoked/);
      assert.deepEqual((await listPrincipals(dir)).find((p) => p.id === id)?.revokedAt, listed?.revokedAt);

      const unknown = await mdis(['admin', 'principal', 'revoke', 'prn_0000000000000000', '--data', dir]);
      assert.equal(unknown.code, 2);
      assert.equal(unknown.stdout, '');
      assert.match(lastLine(unknown.stderr), /prn_0000000000000000/);
    });
  });
});

describe('mdis serve', () => {
  test('tokens made by the CLI work against the server, even while it runs', async () => {
    const dir = dataDir();
    const admin = await createPrincipal(dir, '--role', 'admin');
    const revokedBefore = await createPrincipal(dir, '--role', 'admin');
    await ok(['admin', 'principal', 'revoke', revokedBefore.id, '--data', dir]);
    await withServer(dir, async (server) => {
      const listed = await server.get('/v1/principals', admin.token);
      assert.equal(listed.status, 200);
      assert.ok(listed.body.items.some((p: { id: string }) => p.id === admin.id));
      assert.equal((await server.get('/v1/principals', revokedBefore.token)).status, 401);

      // The CLI and the server share the store: no restart to pick up a new or revoked token.
      const later = await createPrincipal(dir, '--role', 'admin');
      assert.equal((await server.get('/v1/principals', later.token)).status, 200);
      await ok(['admin', 'principal', 'revoke', later.id, '--data', dir]);
      // A running server trusts a token it found live for up to a second (docs/operations.md):
      // refused within 1.5 s of the revocation, asked until then, not at once.
      const revokedAt = Date.now();
      let status = (await server.get('/v1/principals', later.token)).status;
      while (status !== 401 && Date.now() - revokedAt < 1500) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await server.get('/v1/principals', later.token)).status;
      }
      assert.equal(status, 401, 'still accepted 1.5 s after its revocation');
      assert.equal(
        server.logs.find((l) => String(l.msg).includes('first admin token')),
        undefined,
      );
    });
  });

  test('first start writes the admin token to a 0600 file and says where; later starts do not', async () => {
    const dir = dataDir();
    const tokenFile = path.join(dir, 'admin.token');
    const first = await Server.start(dir);
    assert.deepEqual(
      first.logs.filter((l) => 'notJson' in l),
      [],
      'the log is JSON lines',
    );
    const said = first.logs.find((l) => String(l.msg).includes('first admin token'));
    assert.ok(said, 'a log line about the first admin token');
    assert.equal(said.file, tokenFile);
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    assert.match(token, /^mdis_/);
    assert.ok(!JSON.stringify(first.logs).includes(token), 'the token itself is never logged');
    const listed = await first.get('/v1/principals', token);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map((p: { role: string }) => p.role),
      ['admin'],
    );
    assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null });

    await withServer(dir, async (second) => {
      assert.equal(
        second.logs.find((l) => String(l.msg).includes('first admin token')),
        undefined,
      );
      assert.equal(fs.readFileSync(tokenFile, 'utf8').trim(), token);
      const again = await second.get('/v1/principals', token);
      assert.equal(again.status, 200);
      assert.equal(again.body.items.length, 1, 'still one admin');
    });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} shuts down gracefully with exit code 0`, async () => {
      const server = await Server.start(dataDir());
      // An idle keep-alive connection from this request must not hold the shutdown up.
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      assert.deepEqual(await server.stop(signal), { code: 0, signal: null });
      assert.ok(server.logs.some((l) => l.signal === signal && String(l.msg).includes('shutting down')));
      await assert.rejects(fetch(`${server.url}/healthz`), 'no longer listening');
    });
  }

  test('an acknowledged enrolment survives SIGKILL of the server', async () => {
    const dir = dataDir();
    const registrar = await createPrincipal(dir, '--role', 'registrar');
    const admin = await createPrincipal(dir, '--role', 'admin');
    const body = personEnrolment();

    const first = await Server.start(dir);
    const created = await first.request('POST', '/v1/subjects', registrar.token, body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(await first.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });

    await withServer(dir, async (second) => {
      const read = await second.get(`/v1/subjects/${created.body.id}?purpose=support`, admin.token);
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.natural, body.natural);
      assert.deepEqual(read.body.social, body.social);
    });
  });

  describe('bad configuration stops it before it starts, naming the setting', () => {
    const cases: { name: string; args: string[]; env: Record<string, string>; names: RegExp }[] = [
      { name: 'MDIS_PORT=abc', args: [], env: { MDIS_PORT: 'abc' }, names: /MDIS_PORT/ },
      {
        name: 'MDIS_DATABASE_URL=mysql://x',
        args: ['--port', '0'],
        env: { MDIS_DATABASE_URL: 'mysql://x' },
        names: /MDIS_DATABASE_URL/,
      },
      { name: '--port 99999', args: ['--port', '99999'], env: {}, names: /--port/ },
    ];
    for (const { name, args, env, names } of cases) {
      test(name, async () => {
        const dir = path.join(dataDir(), 'store');
        const run = await mdis(['serve', '--host', '127.0.0.1', '--data', dir, ...args], env);
        assert.notEqual(run.code, 0);
        assert.notEqual(run.code, null, 'it exits by itself');
        assert.equal(run.stdout, '');
        assert.match(lastLine(run.stderr), names);
        assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
        assert.ok(!fs.existsSync(dir), 'nothing written');
      });
    }
  });
});

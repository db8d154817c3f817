import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { roles } from '../src/principals/roles.ts';
import { personEnrolment, tempDir } from './_util.ts';

// The real `mdis` binary, run as an operator would: one process per command, a data dir each.
const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src', 'main.ts');
const dirs: string[] = [];
const servers = new Set<Server>();

after(() => {
  for (const server of servers) server.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = tempDir('cli');
  dirs.push(dir);
  return dir;
}

/** The caller's environment without any MDIS_ setting, which would change what is under test. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MDIS_')));
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command to its end (killed after 30 s, so a server that wrongly starts fails the test). */
function mdis(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { cwd: root, env: cleanEnv(env), timeout: 30_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a command that must succeed and returns its stdout. */
async function ok(args: string[]): Promise<string> {
  const run = await mdis(args);
  assert.equal(run.code, 0, `mdis ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

async function createPrincipal(dir: string, ...args: string[]) {
  const out = await ok(['admin', 'principal', 'create', '--data', dir, '--json', ...args]);
  return JSON.parse(out) as { id: string; role: string; token: string };
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

type LogLine = { msg?: string } & Record<string, unknown>;
type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A running `mdis serve`, its JSON log lines as they arrive, and its exit. */
class Server {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  readonly #child: ChildProcess;
  /** Where it listens, from its log once it serves. */
  url = '';

  constructor(dir: string) {
    // Port 0: the server takes a free port itself. A port found free beforehand could be taken
    // meanwhile, by the local end of any outgoing connection (seen in CI: EADDRINUSE).
    this.#child = spawn(
      process.execPath,
      [main, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', dir],
      { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    servers.add(this);
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.logs.push({ notJson: line });
      }
    });
    this.#child.stderr!.on('data', (chunk) => {
      this.stderr += String(chunk);
    });
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        servers.delete(this);
        resolve({ code, signal });
      });
    });
  }

  static async start(dir: string): Promise<Server> {
    const server = new Server(dir);
    const { address } = await server.waitForLog('mdis is serving');
    assert.equal(typeof address, 'string', 'the log says where it serves');
    server.url = address as string;
    return server;
  }

  async waitForLog(msg: string, timeoutMs = 20_000): Promise<LogLine> {
    let exit: Exit | undefined;
    void this.exited.then((e) => {
      exit = e;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const line = this.logs.find((l) => l.msg === msg);
      if (line !== undefined) return line;
      if (exit !== undefined) assert.fail(`mdis serve exited (${JSON.stringify(exit)}): ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return assert.fail(`no "${msg}" in the log within ${timeoutMs} ms: ${this.stderr}`);
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  async stop(signal: NodeJS.Signals): Promise<Exit> {
    this.kill(signal);
    return this.exited;
  }

  async get(url: string, token: string) {
    return this.request('GET', url, token);
  }

  async request(method: string, url: string, token: string, body?: unknown) {
    const response = await fetch(this.url + url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON of any shape; each test asserts the fields it needs
    return { status: response.status, body: (await response.json()) as any };
  }
}

/** Starts a server and stops it however the test ends. */
async function withServer<T>(dir: string, work: (server: Server) => Promise<T>): Promise<T> {
  const server = await Server.start(dir);
  try {
    return await work(server);
  } finally {
    server.kill('SIGKILL');
    await server.exited;
  }
}

describe('mdis admin principal', () => {
  test('create --json prints one JSON line with id, role and token, and nothing else', async () => {
    const dir = dataDir();
    const run = await mdis(['admin', 'principal', 'create', '--role', 'registrar', '--data', dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').length, 2, 'one line and its newline');
    const created = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(created).sort(), ['id', 'role', 'token']);
    assert.match(created.id, /^prn_[0-9a-z]{16}$/);
    assert.equal(created.role, 'registrar');
    assert.match(created.token, /^mdis_[A-Za-z0-9_-]{43}$/);
  });

  test('create without --json shows the token to a human, once', async () => {
    const dir = dataDir();
    const out = await ok(['admin', 'principal', 'create', '--role', 'moderator', '--data', dir]);
    assert.match(out, /^prn_[0-9a-z]{16} +moderator/);
    assert.match(out, /^token: mdis_[A-Za-z0-9_-]{43}$/m);
    assert.match(out, /shown once/);
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
      assert.equal((await server.get('/v1/principals', later.token)).status, 401);
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
      const read = await second.get(`/v1/subjects/${created.body.id}`, admin.token);
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

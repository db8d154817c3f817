import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { mdis, Server } from './_cli.ts';
import { postgresUrl, type StoreName, storeNames, tempDir } from './_util.ts';

// The operator's machine, through the real `mdis` binary: private files, one server per data
// directory, a port in use, log verify's mistakes, and a simulated store that verifies.

const dirs: string[] = [];
const schemas: string[] = [];

after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
});

/** A data directory not created yet (its parent is), and the environment that selects `store`. */
function operatorSetup(store: StoreName): { dir: string; env: Record<string, string> } {
  const parent = tempDir(`operator-${store}`);
  dirs.push(parent);
  if (store === 'sqlite') return { dir: path.join(parent, 'data'), env: {} };
  const schema = `t_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return {
    dir: path.join(parent, 'data'),
    env: { MDIS_DATABASE_URL: postgresUrl!, MDIS_DATABASE_SCHEMA: schema },
  };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m);
  return lines[0]!;
}

for (const store of storeNames) {
  describe(`the operator's machine [${store}]`, {
    skip: store === 'postgres' && postgresUrl === undefined,
  }, () => {
    test('the data directory is 0700 and every file in it 0600', async () => {
      const { dir, env } = operatorSetup(store);
      const server = await Server.start(dir, [], env);
      try {
        // An enrolment, so that the store has written (WAL and shared memory files included).
        const token = fs.readFileSync(path.join(dir, 'admin.token'), 'utf8').trim();
        assert.equal((await server.get('/v1/principals', token)).status, 200);
        assert.equal(mode(dir), 0o700);
        const files = fs.readdirSync(dir);
        const expected = ['admin.token', 'master.key', 'mdis.pid'];
        if (store === 'sqlite') expected.push('mdis.sqlite', 'mdis.sqlite-shm', 'mdis.sqlite-wal');
        assert.deepEqual(files.sort(), expected.sort());
        for (const file of files) assert.equal(mode(path.join(dir, file)), 0o600, file);
      } finally {
        await server.stop('SIGTERM');
      }
      assert.equal(
        fs.existsSync(path.join(dir, 'mdis.pid')),
        false,
        'a stopped server releases the directory',
      );
    });

    test('a second serve on a served data directory refuses, naming the other process', async () => {
      const { dir, env } = operatorSetup(store);
      const first = await Server.start(dir, [], env);
      try {
        const pid = fs.readFileSync(path.join(dir, 'mdis.pid'), 'utf8').trim();
        const second = new Server(dir, [], env);
        const exit = await second.exited;
        assert.equal(exit.code, 2);
        assert.match(oneLine(second.stderr), new RegExp(`^mdis: .*already served by process ${pid}\\b`));
        assert.equal(fs.readFileSync(path.join(dir, 'mdis.pid'), 'utf8').trim(), pid);
        const token = fs.readFileSync(path.join(dir, 'admin.token'), 'utf8').trim();
        assert.equal((await first.get('/v1/principals', token)).status, 200, 'the first still serves');
      } finally {
        first.kill('SIGKILL');
        await first.exited;
      }
      // Killed, it left its pid file: the next server takes the directory over.
      const next = await Server.start(dir, [], env);
      await next.stop('SIGTERM');
    });

    test('a port in use is one line naming --port and MDIS_PORT', async () => {
      const { dir, env } = operatorSetup(store);
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = taken.address() as net.AddressInfo;
        const server = new Server(dir, ['--port', String(port)], env);
        const exit = await server.exited;
        assert.equal(exit.code, 2);
        const line = oneLine(server.stderr);
        assert.match(line, new RegExp(`^mdis: port ${port} .*in use.*--port.*MDIS_PORT`));
        assert.equal(fs.existsSync(path.join(dir, 'mdis.pid')), false, 'it released the directory');
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });

    test('mdis simulate leaves a signed checkpoint: log verify passes right after', async () => {
      const { dir, env } = operatorSetup(store);
      const simulated = await mdis(['simulate', '--subjects', '30', '--events', '200', '--data', dir], env);
      assert.equal(simulated.code, 0, simulated.stderr);
      const verified = await mdis(['log', 'verify', '--data', dir], env);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.match(verified.stdout, /^ok: \d+ entries, root .*, checkpoint signature valid$/m);
    });
  });
}

describe('mdis log verify --url', () => {
  test('without a token it reads the log all the same (it is public): nothing there is one line', async () => {
    const run = await mdis(['log', 'verify', '--url', 'http://127.0.0.1:9']);
    assert.equal(run.code, 2);
    assert.match(oneLine(run.stderr), /^mdis: could not read the log at http:\/\/127\.0\.0\.1:9: /);
  });

  test('a URL that is not one: exit 2, one line naming it', async () => {
    for (const url of ['not a url', 'ftp://example.org/']) {
      const run = await mdis(['log', 'verify', '--url', url, '--token', 'mdis_x']);
      assert.equal(run.code, 2, url);
      assert.match(oneLine(run.stderr), /^mdis: --url must be an http:\/\/ or https:\/\/ URL/, url);
    }
  });

  test('nothing listening there: exit 2, one line', async () => {
    const run = await mdis(['log', 'verify', '--url', 'http://127.0.0.1:9', '--token', 'mdis_x']);
    assert.equal(run.code, 2);
    assert.match(oneLine(run.stderr), /^mdis: could not read the log at http:\/\/127\.0\.0\.1:9: /);
  });
});

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { mdis, root, Server } from './_cli.ts';
import { tempDir } from './_util.ts';

// `npm start` as a person who never saw mdis runs it: the sign-in links first, one per role;
// `--clock-offset` on the demo's store only; the log's origin from the public URL.

const dayMs = 86_400_000;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function dataDir(name: string): string {
  const dir = tempDir(name);
  dirs.push(dir);
  return dir;
}

/** `mdis serve --demo`, its stdout and stderr as they come, until 'mdis is serving' is in stdout. */
async function serveDemo(
  dir: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; out: string; err: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MDIS_')));
  const child = spawn(
    process.execPath,
    ['src/main.ts', 'serve', '--demo', '--data', dir, '--port', '0', ...args],
    { cwd: root, env },
  );
  const started = { child, out: '', err: '' };
  child.stdout.on('data', (chunk) => {
    started.out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    started.err += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 150_000;
  while (!started.out.includes('"msg":"mdis is serving"')) {
    if (Date.now() > deadline || child.exitCode !== null) assert.fail(`mdis serve --demo: ${started.err}`);
    await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
  }
  return started;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
}

/** The printed links: role → { link, token }. */
function linksOf(out: string): Map<string, { link: string; token: string }> {
  const found = out.matchAll(/^ {2}(\w+) +(http:\/\/localhost:\d+\/#token=(mdis_[A-Za-z0-9_-]+))$/gm);
  return new Map([...found].map((m) => [m[1]!, { link: m[2]!, token: m[3]! }]));
}

async function call(base: string, method: string, url: string, token: string, body?: unknown) {
  const response = await fetch(base + url, {
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

describe('npm start (mdis serve --demo)', { timeout: 400_000 }, () => {
  const dir = dataDir('startup-demo');
  let links: Map<string, { link: string; token: string }>;
  let tom = '';

  test('prints one block of sign-in links first, then the log lines; each link signs in its role', async () => {
    const { child, out, err } = await serveDemo(dir);
    try {
      // The demo registers passkeys: the WebAuthn library must not print Node's warnings on the way.
      assert.equal(err, '', 'nothing on stderr');
      const lines = out.split('\n');
      const ready = lines.findIndex((line) => line.startsWith('mdis is ready: '));
      const firstLog = lines.findIndex((line) => line.startsWith('{'));
      assert.ok(ready >= 0 && ready < firstLog, `the block comes before every log line:\n${out}`);
      assert.equal(out.split('mdis is ready').length, 2, 'the block is printed once');
      assert.equal(lines.slice(0, ready).join('').trim(), '', 'nothing before the block');
      const serving = JSON.parse(lines.find((line) => line.includes('"mdis is serving"'))!);
      const port = new URL(serving.address).port;
      assert.equal(lines[ready], `mdis is ready: http://localhost:${port}/`);

      links = linksOf(out);
      assert.deepEqual(
        [...links.keys()].sort(),
        ['admin', 'admin2', 'airline', 'appeals', 'auditor', 'authority']
          .concat(['moderator', 'oversight', 'platform', 'registrar', 'subject'])
          .sort(),
      );
      const roles = { subject: 'subject', moderator: 'moderator', admin: 'admin', airline: 'service' };
      for (const [name, role] of Object.entries(roles)) {
        const me = await call(serving.address, 'GET', '/v1/whoami', links.get(name)!.token);
        assert.equal(me.status, 200, name);
        assert.equal(me.body.role, role, `the ${name} link signs in as ${role}`);
      }
      const logLines = lines.filter((line) => line.startsWith('{')).join('\n');
      for (const { token } of links.values()) assert.ok(!logLines.includes(token), 'no token in the log');
      // No MDIS_PUBLIC_URL: the log is named after http://localhost, whatever the port.
      const key = await (await fetch(`${serving.address}/v1/log/key`)).text();
      assert.equal(
        key.split('+')[0],
        'localhost/log',
        'the verifier key names the log <origin>+<hash>+<key>',
      );

      // Tom's case, decided with a 30-day travel restriction: the airline may not sell to him.
      const record = await call(serving.address, 'GET', '/v1/me', links.get('subject')!.token);
      tom = record.body.subject;
      const decision = await call(
        serving.address,
        'POST',
        `/v1/cases/${record.body.cases[0].id}/decision`,
        links.get('moderator')!.token,
        {
          outcome: 'upheld',
          severity: 2,
          rationale: 'Rumours that started a run on the Plaza bank',
          sanctions: [{ kind: 'restriction', actions: ['travel.air'], days: 30 }],
        },
      );
      assert.equal(decision.status, 200, JSON.stringify(decision.body));
      const check = `/v1/eligibility?subject=${tom}&action=travel.air`;
      const denied = await call(serving.address, 'GET', check, links.get('airline')!.token);
      assert.equal(denied.body.allowed, false);
    } finally {
      await stop(child);
    }
  });

  test('--clock-offset 31d on the demo’s store: shown at start-up, and the restriction has ended', async () => {
    assert.ok(tom !== '', 'the test before made the store');
    const { child, out } = await serveDemo(dir, ['--clock-offset', '31d']);
    try {
      const lines = out.split('\n');
      const ready = lines.findIndex((line) => line.startsWith('mdis is ready: '));
      assert.equal(lines[ready + 1], 'clock: 31 days ahead');
      assert.ok(
        lines.some((line) => line.includes('"msg":"clock: 31 days ahead"')),
        'and in the log',
      );
      const tokens = (found: typeof links) => [...found].map(([role, { token }]) => [role, token]);
      assert.deepEqual(tokens(linksOf(out)), tokens(links), 'a restart prints the same tokens, no one new');
      const base = JSON.parse(lines.find((line) => line.includes('"mdis is serving"'))!).address;

      const check = `/v1/eligibility?subject=${tom}&action=travel.air`;
      const allowed = await call(base, 'GET', check, links.get('airline')!.token);
      assert.equal(allowed.body.allowed, true, 'thirty days later, the airline may sell again');
      // The API's times are the shifted clock's: a sanction imposed now starts 31 days ahead.
      const before = Date.now();
      const imposed = await call(base, 'POST', '/v1/sanctions', links.get('moderator')!.token, {
        subject: tom,
        kind: 'restriction',
        actions: ['travel.air'],
        days: 1,
        reason: 'A demonstration of the clock',
      });
      assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
      const startsAt = Date.parse(imposed.body.startsAt);
      assert.ok(
        startsAt >= before + 31 * dayMs && startsAt <= Date.now() + 31 * dayMs,
        imposed.body.startsAt,
      );
    } finally {
      await stop(child);
    }
  });
});

describe('mdis serve --clock-offset', { timeout: 200_000 }, () => {
  test('a bad duration names the flag, and nothing starts', async () => {
    const dir = dataDir('clock-bad');
    for (const value of ['15x', 'abc', '99999d']) {
      const run = await mdis(['serve', '--port', '0', '--data', dir, '--clock-offset', value]);
      assert.equal(run.code, 2, value);
      assert.match(run.stderr, new RegExp(`^mdis: --clock-offset must be a length of time .*got "${value}"`));
      assert.equal(run.stdout, '');
    }
    assert.deepEqual(fs.readdirSync(dir), [], 'no store was made');
  });

  test('is refused on a new store without --demo (and none is made), and on an operator’s store', async () => {
    const fresh = dataDir('clock-fresh');
    const refused = await mdis(['serve', '--port', '0', '--data', fresh, '--clock-offset', '15d']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^mdis: --clock-offset is for demonstrations: it is refused on a store the demo did not make/,
    );
    assert.deepEqual(fs.readdirSync(fresh), [], 'no store was left behind');

    const operators = dataDir('clock-operator');
    const server = await Server.start(operators);
    await server.stop('SIGTERM');
    const again = await mdis(['serve', '--port', '0', '--data', operators, '--clock-offset', '15d']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^mdis: --clock-offset is for demonstrations/);
    // Not even --demo makes an operator's store a demonstration one.
    const withDemo = await mdis([
      'serve',
      '--demo',
      '--port',
      '0',
      '--data',
      operators,
      '--clock-offset',
      '2d',
    ]);
    assert.equal(withDemo.code, 2);
    assert.match(withDemo.stderr, /^mdis: --clock-offset is for demonstrations/);
  });
});

describe('the log origin', { timeout: 200_000 }, () => {
  async function originOf(server: Server): Promise<string> {
    // The verifier key is one line, <origin>+<key hash>+<key>.
    return (await (await fetch(`${server.url}/v1/log/key`)).text()).split('+')[0]!;
  }

  /** Waits for the first signed checkpoint (signed within a second of new entries). */
  async function checkpointed(server: Server): Promise<string> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const response = await fetch(`${server.url}/v1/log/checkpoint`);
      if (response.ok) return response.text();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return assert.fail('no checkpoint within 30 s');
  }

  test('follows the public URL, stays with the store, and `mdis log` agrees', async () => {
    const dir = dataDir('log-origin');
    const publicUrl = { MDIS_PUBLIC_URL: 'https://registry.example.org/mdis/' };
    let server = await Server.start(dir, [], publicUrl);
    assert.equal(await originOf(server), 'registry.example.org/mdis/log');
    assert.match(await checkpointed(server), /^registry\.example\.org\/mdis\/log\n/);
    const key = (await (await fetch(`${server.url}/v1/log/key`)).text()).trim();
    await server.stop('SIGTERM');

    // Without the public URL, the log keeps the name its checkpoints carry (witnesses know it so).
    server = await Server.start(dir);
    assert.equal(await originOf(server), 'registry.example.org/mdis/log');
    await server.stop('SIGTERM');
    const printed = await mdis(['log', 'key', '--data', dir]);
    assert.equal(printed.stdout.trim(), key, 'mdis log key names it as the server does');
    const verified = await mdis(['log', 'verify', '--data', dir]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.doesNotMatch(verified.stdout, /problem:/);

    // MDIS_LOG_ORIGIN, when set, still names the log.
    server = await Server.start(dir, [], { MDIS_LOG_ORIGIN: 'transparency.example.org/mdis' });
    assert.equal(await originOf(server), 'transparency.example.org/mdis');
    await server.stop('SIGTERM');
  });
});

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from './_util.ts';

const run = promisify(execFile);
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MDIS_')));

test('mdis demo plays Tom’s case through the API and exits 0', { timeout: 120_000 }, async () => {
  const { stdout } = await run(process.execPath, ['src/main.ts', 'demo'], { env: cleanEnv });
  for (const step of [
    'The police ask for Tom’s identity with a warrant; oversight approves',
    'the authority reads: Tom Rivers',
    "Tom's score 905, grade B",
    'allowed: false, reason: restricted',
    '15 days later: 1 disclosure(s): warrant',
    'appeal overturned',
    'the airline may sell again: allowed true',
    'checkpoint signature valid',
  ]) {
    assert.ok(stdout.includes(step), `the demo shows: ${step}`);
  }
  assert.match(stdout, /Every step gave the expected answer\.\n$/);
  assert.doesNotMatch(stdout, /✗/);
});

test('mdis serve --demo loads the demo once and prints a working token for each role', {
  // Two starts, the first making the demo population (seconds alone, minutes on a busy machine).
  timeout: 600_000,
}, async () => {
  const dataDir = tempDir('serve-demo');
  const start = async () => {
    // Port 0: the server takes a free port itself (one found free beforehand could be taken
    // meanwhile by the local end of an outgoing connection).
    const child = spawn(
      process.execPath,
      ['src/main.ts', 'serve', '--demo', '--data', dataDir, '--port', '0'],
      {
        env: cleanEnv,
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    while (!out.includes('subject ')) await new Promise((r) => setTimeout(r, 100));
    return { child, out };
  };
  try {
    const first = await start();
    const tokens = Object.fromEntries(
      [...first.out.matchAll(/^ {2}(\w+) +http:\/\/localhost:\d+\/#token=(mdis_\S+)$/gm)].map(
        (m) => [m[1], m[2]] as [string, string],
      ),
    );
    assert.deepEqual(Object.keys(tokens).sort(), [
      'admin',
      'admin2',
      'airline',
      'appeals',
      'auditor',
      'authority',
      'moderator',
      'oversight',
      'platform',
      'registrar',
      'subject',
    ]);
    const consoleUrl = /mdis is ready: http:\/\/localhost:(\d+)\//.exec(first.out);
    assert.ok(consoleUrl, `the console's address is printed: ${first.out}`);
    const me = await fetch(`http://127.0.0.1:${consoleUrl[1]}/v1/me`, {
      headers: { authorization: `Bearer ${tokens.subject}` },
    });
    assert.equal(me.status, 200);
    const { cases } = (await me.json()) as { cases: { status: string }[] };
    assert.equal(cases.filter((c) => c.status === 'open').length, 1, 'Tom’s case is waiting for a moderator');
    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start();
    assert.ok(second.out.includes(tokens.moderator!), 'a restart prints the same sign-ins and adds no one');
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../src/db/database.ts';
import { storeMadeByDemo } from '../src/demo/store-origin.ts';
import { tempDir } from './_util.ts';

// `mdis serve --demo` on a new store, as `npm start` runs it: the demo's people and a simulated
// population with months of history, read back through the API with the printed sign-ins.
const root = path.resolve(import.meta.dirname, '..');
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MDIS_')));
const dataDir = tempDir('demo-population');
const storeDir = path.join(dataDir, 'store');

interface Served {
  child: ChildProcess;
  out: string;
  base: string;
  tokens: Record<string, string>;
}

async function start(): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['src/main.ts', 'serve', '--demo', '--data', storeDir, '--port', '0'],
    { cwd: root, env: cleanEnv },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The log's 'mdis is serving' follows the block of sign-in links: the demo is ready (or the
  // process ended, and says why).
  while (!out.includes('"mdis is serving"')) {
    const ended = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, 100))]);
    if (ended === true) assert.fail(`serve --demo ended before it was ready: ${err}`);
  }
  const tokens = Object.fromEntries(
    [...out.matchAll(/^ {2}(\w+) +http:\/\/localhost:\d+\/#token=(mdis_\S+)$/gm)].map(
      (m) => [m[1], m[2]] as [string, string],
    ),
  );
  const serving = out.split('\n').find((line) => line.includes('"mdis is serving"'))!;
  const base = (JSON.parse(serving) as { address: string }).address;
  assert.ok(tokens.subject, `a sign-in link per role is printed: ${out}`);
  return { child, out, base, tokens };
}

async function stop(served: Served): Promise<void> {
  const exited = new Promise((r) => served.child.once('exit', r));
  served.child.kill('SIGTERM');
  await exited;
}

let served: Served;

// biome-ignore lint/suspicious/noExplicitAny: the tests read whichever fields each list answers
async function get(token: string, url: string): Promise<any> {
  const response = await fetch(`${served.base}${url}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${url}: ${await response.clone().text()}`);
  return response.json();
}

/** Every item of a paged list. */
async function all(token: string, url: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page = await get(
      token,
      `${url}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

before(async () => {
  served = await start();
});

after(async () => {
  if (served.child.exitCode === null) await stop(served);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('cases in every state', async () => {
  for (const status of ['open', 'decided', 'appealed', 'closed']) {
    const page = await get(served.tokens.moderator!, `/v1/cases?status=${status}&limit=1`);
    assert.equal(page.items.length, 1, `a case ${status}`);
  }
});

test('disclosures on each legal basis in each state, an overdue review, with the demo’s authority', async () => {
  const mine = await all(served.tokens.authority!, '/v1/disclosures');
  const seen = new Set(
    mine.map((d) => `${(d.legalBasis as { kind: string }).kind} ${d.status}${d.overdue ? ' overdue' : ''}`),
  );
  for (const basis of ['warrant', 'court_order', 'statute']) {
    for (const status of ['pending', 'granted', 'refused'])
      assert.ok(seen.has(`${basis} ${status}`), `${basis} ${status}`);
  }
  for (const state of ['granted', 'refused', 'granted overdue'])
    assert.ok(seen.has(`emergency ${state}`), `emergency ${state}`);
  const overdue = await get(served.tokens.oversight!, '/v1/disclosures?overdue=true');
  assert.ok(overdue.items.length > 0, 'oversight sees an overdue review');
  const preservations = await get(served.tokens.authority!, '/v1/preservations');
  assert.ok(preservations.items.length >= 1, 'a preservation order');
});

test('sanctions of every kind the policy defines', async () => {
  const kinds = new Set((await all(served.tokens.moderator!, '/v1/sanctions')).map((s) => s.kind));
  assert.deepEqual([...kinds].sort(), ['ban', 'mute', 'restriction', 'suspension', 'warning']);
});

test('scores spread over several grades, with subjects in each', async () => {
  const { grades } = await get(served.tokens.admin!, '/v1/credit/distribution');
  const filled = (grades as { grade: string; count: number }[])
    .filter((g) => g.count > 0)
    .map((g) => g.grade);
  assert.ok(filled.length >= 3, `grades with subjects: ${filled.join(', ')}`);
  assert.ok(
    filled.includes('AAA') && filled.includes('D'),
    `from the best to the worst: ${filled.join(', ')}`,
  );
});

test('appeals pending, of a decision, a sanction and a disclosure; corrections waiting for a registrar', async () => {
  const appeals = await all(served.tokens.appeals!, '/v1/appeals');
  const kinds = new Set(appeals.map((a) => a.kind));
  assert.ok(kinds.has('case') && kinds.has('sanction'), `pending appeals: ${[...kinds].join(', ')}`);
  const heard = await all(served.tokens.oversight!, '/v1/appeals');
  assert.ok(
    heard.some((a) => a.kind === 'disclosure'),
    'oversight hears the appeal of a disclosure',
  );
  const corrections = await get(served.tokens.registrar!, '/v1/corrections');
  assert.ok(corrections.items.length > 0, 'a correction is pending');
});

test('Tom’s case waits among the population’s, after its history', async () => {
  const me = await get(served.tokens.subject!, '/v1/me');
  assert.equal(me.cases.length, 1);
});

test('the store is the demo’s; a second start adds no second population', async () => {
  const before = await get(served.tokens.admin!, '/v1/credit/distribution');
  const total = (d: { grades: { count: number }[] }) => d.grades.reduce((sum, g) => sum + g.count, 0);
  await stop(served);
  const store = await openStore({ dataDir: storeDir, databaseUrl: undefined, databaseSchema: undefined });
  try {
    assert.equal(await storeMadeByDemo(store.db), true);
  } finally {
    await store.close();
  }
  served = await start();
  assert.equal(served.tokens.moderator !== undefined, true);
  const again = await get(served.tokens.admin!, '/v1/credit/distribution');
  assert.equal(total(again), total(before), 'the same subjects, no more');
});

test('a store the demo did not make is not the demo’s', async () => {
  const dir = tempDir('not-demo');
  const store = await openStore({ dataDir: dir, databaseUrl: undefined, databaseSchema: undefined });
  try {
    assert.equal(await storeMadeByDemo(store.db), false);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

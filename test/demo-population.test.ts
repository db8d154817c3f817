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

test('scores spread over the grades, from the best to the worst, none holding most of the people', async () => {
  const { grades } = (await get(served.tokens.admin!, '/v1/credit/distribution')) as {
    grades: { grade: string; count: number }[];
  };
  const total = grades.reduce((sum, g) => sum + g.count, 0);
  const filled = grades.filter((g) => g.count > 0).map((g) => g.grade);
  const shares = grades.map((g) => `${g.grade} ${((100 * g.count) / total).toFixed(1)}%`).join(', ');
  assert.ok(filled.length >= 5, `grades with subjects: ${shares}`);
  assert.ok(filled.includes('AAA') && filled.includes('D'), `from the best to the worst: ${shares}`);
  for (const g of grades) assert.ok(g.count <= (2 / 3) * total, `no grade holds two thirds: ${shares}`);
  // Every bar of the chart is seen beside the tallest: a few percent of the people at least.
  for (const grade of ['AAA', 'AA', 'B', 'C'])
    assert.ok(grades.find((g) => g.grade === grade)!.count >= 0.03 * total, `${grade} holds 3%: ${shares}`);
});

test('granted disclosures were read, staff read profiles for a purpose: the transparency report counts them', async () => {
  const mine = await all(served.tokens.authority!, '/v1/disclosures');
  const granted = mine.filter((d) => d.status === 'granted');
  assert.ok(
    granted.filter((d) => (d.reads as number) > 0).length >= granted.length / 2,
    `reads of granted disclosures: ${granted.map((d) => d.reads).join(', ')}`,
  );
  const report = await get(served.tokens.auditor!, '/v1/transparency/report');
  assert.ok(report.reads > 0, 'attributes read');
  assert.ok(report.staffReads.total >= 40, `staff reads: ${JSON.stringify(report.staffReads)}`);
  assert.ok(Object.keys(report.staffReads.byPurpose).length >= 2, 'for more than one purpose');
});

test('the people who acted in the scene are named after their avatars; the Plaza’s webhook has deliveries', async () => {
  const principals = await all(served.tokens.admin!, '/v1/principals');
  const named = principals.filter(
    (p) => p.role === 'subject' && /^subject of \S+ \(\w+\)$/.test(p.name as string),
  );
  assert.ok(named.length >= 10, 'subject principals named after an avatar');
  assert.equal(new Set(named.map((p) => p.name)).size, named.length, 'each its own name');
  const subscriptions = await get(served.tokens.platform!, '/v1/worlds/plaza/subscriptions');
  assert.equal(subscriptions.items.length, 1);
  const id = subscriptions.items[0].id;
  // Revoked at the history's end: nothing is sent after to a receiver that is gone.
  assert.ok(subscriptions.items[0].revokedAt !== undefined, 'revoked once the history is made');

  const deliveries = await all(served.tokens.platform!, `/v1/worlds/plaza/subscriptions/${id}/deliveries`);
  assert.deepEqual(
    deliveries.filter((d) => d.status === 'pending'),
    [],
    'nothing left to send',
  );
  const delivered = deliveries.filter((d) => d.status === 'delivered');
  assert.ok(delivered.length >= 20, `delivered during the history: ${delivered.length}`);
  assert.ok(
    delivered.some((d) => d.attempts === 2),
    'one delivered at the second attempt',
  );
});

test('reports of fraud come from different avatars, in different words', async () => {
  const page = await get(served.tokens.moderator!, '/v1/cases?status=decided&category=fraud&limit=100');
  const cases = (page.items as { id: string; automated: boolean }[]).filter((c) => !c.automated).slice(0, 16);
  const reports: { reporter: string; description: string }[] = [];
  for (const c of cases) reports.push(...(await get(served.tokens.moderator!, `/v1/cases/${c.id}`)).reports);
  const reporters = new Set(reports.map((r) => r.reporter));
  const words = new Set(reports.map((r) => r.description));
  assert.ok(reports.length >= 16, `reports: ${reports.length}`);
  assert.ok(reporters.size >= reports.length / 2, `reporters: ${[...reporters].join(', ')}`);
  assert.ok(words.size >= 5, `descriptions: ${[...words].join(' | ')}`);
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

test('Tom’s case waits among the population’s, after a past of his own', async () => {
  const token = served.tokens.subject!;
  const me = await get(token, '/v1/me');
  const open = (me.cases as { status: string; category: string }[]).filter((c) => c.status === 'open');
  assert.deepEqual(
    open.map((c) => c.category),
    ['spreading_rumors'],
    'one open case: the story’s',
  );
  assert.equal(me.cases[0].category, 'spreading_rumors', 'the newest case first');
  assert.ok(
    (me.appeals as { status: string }[]).some((a) => a.status === 'overturned'),
    'an appeal, decided in his favour',
  );
  const moved = (me.credit.dimensions as { points: number }[]).filter((d) => d.points !== 0);
  assert.ok(me.credit.score > 1000 && moved.length >= 2, `score ${me.credit.score}, dimensions moved`);
  const access = await get(token, '/v1/me/access');
  assert.ok(
    access.reads.items.some((r: { role: string; purpose: string }) => r.role === 'registrar' && r.purpose),
    'the registry read his profile, with a purpose',
  );
  // The airline's check is counted in memory and written by a scheduled pass: not asserted here.
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

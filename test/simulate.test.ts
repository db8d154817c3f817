import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sqliteFileName } from '../src/db/database.ts';
import { SimClock, simulatedYear } from '../src/simulate/clock.ts';
import { type SimulationResult, simulateInto } from '../src/simulate/population.ts';
import { forEachStore, type Harness, tempDir } from './_util.ts';

// `mdis simulate` as an operator runs it, then the stores it made, read back directly.
const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src', 'main.ts');
const dirs: string[] = [];

after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A data dir path that does not exist yet, so that a refused command can be seen to create nothing. */
function freshDataDir(): string {
  const parent = tempDir('simulate');
  dirs.push(parent);
  return path.join(parent, 'store');
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mdis(args: string[]): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MDIS_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { cwd: root, env, timeout: 300_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function simulateCli(dir: string, seed: number, ...extra: string[]): Promise<string> {
  const run = await mdis([
    'simulate',
    '--subjects',
    '200',
    '--events',
    '2000',
    '--seed',
    String(seed),
    '--data',
    dir,
    ...extra,
  ]);
  assert.equal(run.code, 0, `simulate failed: ${run.stderr}`);
  return run.stdout;
}

/** What must be equal for equal seeds: scores and grades, and cases by category, status and outcome. */
function fingerprint(dir: string) {
  const db = new Database(path.join(dir, sqliteFileName), { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      scores: all('select score, grade, kind from credit_scores order by score, grade, kind'),
      cases: all(
        `select category, status, outcome, severity, appeal_status, report_count, count(*) as n from cases
         group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`,
      ),
      sanctions: all(
        'select kind, status, source, count(*) as n from sanctions group by 1, 2, 3 order by 1, 2, 3',
      ),
      events: all('select category, severity, count(*) as n from conduct_events group by 1, 2 order by 1, 2'),
      histogram: all('select kind, score, count from credit_histogram where count > 0 order by kind, score'),
    };
  } finally {
    db.close();
  }
}

const dirA = freshDataDir();
const dirB = freshDataDir();
const dirC = freshDataDir();

test('simulate fills a store and says what it made', async () => {
  const [text, json] = await Promise.all([
    simulateCli(dirA, 7),
    simulateCli(dirB, 7, '--json'),
    simulateCli(dirC, 8),
  ]);
  assert.match(text, /^subjects +200 \(\d+ persons?, \d+ organisations?, \d+ agenc(y|ies)\)$/m);
  assert.match(text, /^events +2000 accepted, 0 duplicate, 0 rejected$/m);
  assert.match(text, /^grades +AAA \d+, AA \d+, A \d+, B \d+, C \d+, D \d+$/m);
  const r = JSON.parse(json) as SimulationResult;
  assert.equal(r.subjects.person + r.subjects.organisation + r.subjects.agency, 200);
  assert.ok(r.subjects.person >= 160 && r.subjects.person <= 195, `persons: ${r.subjects.person}`);
  assert.equal(r.worlds, 5);
  assert.ok(r.avatars >= 200 && r.avatars <= 500, `avatars: ${r.avatars}`);
  assert.deepEqual(r.events, { accepted: 2000, duplicate: 0, rejected: 0 });
  assert.ok(r.reports.filed >= 20 && r.reports.filed <= 60, `reports: ${r.reports.filed}`);
  const cases = Object.values(r.cases).reduce((a, b) => a + b, 0);
  const decisions = r.decisions.upheld + r.decisions.dismissed;
  // Besides the reported incidents' cases, each negative conduct event files a report in a case
  // (issue 14), which no simulated moderator decides: those stay open.
  assert.ok(cases > 0 && r.cases.open > 0, `cases: ${cases}`);
  assert.ok(decisions > 0 && decisions <= cases, `decisions: ${decisions}`);
  assert.ok(r.decisions.upheld > r.decisions.dismissed, 'most decisions are upheld');
  assert.ok(r.sanctions.byKind.suspension !== undefined, 'the strike ladder suspended someone');
  assert.equal(
    r.grades.reduce((sum, g) => sum + g.count, 0),
    200,
  );
  assert.ok(r.grades.filter((g) => g.count > 0).length >= 3, 'scores spread over several grades');
  assert.ok(fs.existsSync(path.join(dirB, 'admin.token')), 'the operator gets a first admin token');
});

test('the same seed makes the same population and history; another seed another', () => {
  const a = fingerprint(dirA);
  const b = fingerprint(dirB);
  assert.deepEqual(b, a);
  const c = fingerprint(dirC);
  assert.notDeepEqual(c.scores, a.scores);
  assert.notDeepEqual(c.cases, a.cases);
});

test('simulate refuses a store that already holds a population', async () => {
  const run = await mdis(['simulate', '--subjects', '5', '--events', '5', '--data', dirA]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /already holds subjects or worlds/);
});

describe('bad flags', { concurrency: true }, () => {
  for (const [flags, named] of [
    [['--subjects', '0', '--events', '10'], '--subjects'],
    [['--subjects', '10', '--events', 'abc'], '--events'],
    [['--subjects', '10', '--events', '10', '--seed', '1.5'], '--seed'],
  ] as const) {
    test(`simulate ${flags.join(' ')} is refused naming ${named}, and creates nothing`, async () => {
      const dir = freshDataDir();
      const run = await mdis(['simulate', ...flags, '--data', dir]);
      assert.equal(run.code, 2);
      assert.match(run.stderr.trim().split('\n').at(-1) ?? '', new RegExp(`^mdis: ${named} must be`));
      assert.equal(fs.existsSync(dir), false);
    });
  }
});

// In-process, on each store: the same seed gives the same scores on SQLite and PostgreSQL.
const clock = new SimClock(Date.now());
const scoresByStore = new Map<string, unknown>();

forEachStore(
  'simulate in-process',
  (h: Harness) => {
    test('fills the store through the services', async () => {
      const year = simulatedYear();
      const r = await simulateInto(h.ctx, clock, { subjects: 30, events: 300, seed: 3 }, year);
      assert.equal(r.events.accepted, 300);
      assert.equal(clock.ms, year.end);
      const scores = await h.ctx.db
        .selectFrom('credit_scores')
        .select(['score', 'grade'])
        .orderBy('score')
        .orderBy('grade')
        .execute();
      assert.equal(scores.length, 30);
      scoresByStore.set(h.store, scores);
      if (scoresByStore.size === 2)
        assert.deepEqual(scoresByStore.get('postgres'), scoresByStore.get('sqlite'));
    });
  },
  { now: clock.now },
);

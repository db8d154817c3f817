// `npm run bench`: each benchmark against a baseline measured in the same run, on the same SQLite
// file, and the DESIGN.md target for the ratio where there is one. Timings are never asserted in
// tests; this prints them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { buildServer } from '../src/http/server.ts';
import type { Enrolment } from '../src/identity/attributes.ts';

const seconds = 2;
const warmUpSeconds = 0.5;
const avatarCount = 20_000;
const worlds = ['plaza', 'arena', 'market', 'harbour'];

interface Result {
  name: string;
  opsPerSecond: number;
  baseline: string;
  baselineOpsPerSecond: number;
  /** The least ratio DESIGN.md asks for, if it sets one. */
  target?: number;
}

/** Runs `op(0)`, `op(1)`, … for `seconds` in a tight loop and returns operations per second. */
function rateSync(op: (i: number) => unknown, forSeconds = seconds): number {
  const start = performance.now();
  const end = start + forSeconds * 1000;
  let n = 0;
  do {
    for (let k = 0; k < 64; k++) op(n++);
  } while (performance.now() < end);
  return n / ((performance.now() - start) / 1000);
}

/** The same for an operation that returns a promise: one at a time, each awaited. */
async function rateAsync(op: (i: number) => Promise<unknown>, forSeconds = seconds): Promise<number> {
  const start = performance.now();
  const end = start + forSeconds * 1000;
  let n = 0;
  do {
    for (let k = 0; k < 16; k++) await op(n++);
  } while (performance.now() < end);
  return n / ((performance.now() - start) / 1000);
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

const person = (i: number): Enrolment => ({
  kind: 'person',
  natural: {
    legalName: 'Thomas Example',
    birthDate: '1990-04-01',
    sex: 'M',
    nationality: 'GB',
    document: { type: 'passport', number: `BENCH${i}`, issuingCountry: 'GB' },
  },
  social: { occupation: 'Streamer', phone: '+447700900123', email: 'tom@example.org' },
  signs: { deviceIds: ['dev:4f3a-01'], avatarFingerprints: ['a'.repeat(64)] },
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdis-bench-'));
const config = loadConfig(
  // The rate limiter would turn the HTTP benchmark into a benchmark of 429s.
  { dataDir, secrets: { masterKey: randomBytes(32) }, rateLimit: { perSecond: 1e9 } },
  {},
);
const ctx = await createContext(config, { logger: pino({ level: 'warn' }) });
const sqlite = ctx.store.sqlite!;
const results: Result[] = [];

try {
  // Enrolment: validation, de-duplication, a data key, three sealed groups, one durable
  // transaction and the profile read back; against the same rows inserted raw, one transaction each.
  progress('enrolling subjects…');
  let enrolled = 0;
  const subjects: string[] = [];
  const enrol = async () => subjects.push((await ctx.subjects.enrol(person(enrolled++), 'bench')).id);
  await rateAsync(enrol, warmUpSeconds);
  const enrolments = await rateAsync(enrol);

  const subjectRow = sqlite.prepare('select * from subjects where id = ?').get(subjects[0]) as object;
  const attributeRows = sqlite
    .prepare('select * from subject_attributes where subject_id = ?')
    .all(subjects[0]) as object[];
  const insertSubject = sqlite.prepare(
    `insert into subjects (id, kind, dedup_hash, wrapped_key, created_at, updated_at, created_by)
     values (@id, @kind, @dedup_hash, @wrapped_key, @created_at, @updated_at, @created_by)`,
  );
  const insertAttribute = sqlite.prepare(
    `insert into subject_attributes (subject_id, grp, version, ciphertext, created_at, created_by)
     values (@subject_id, @grp, @version, @ciphertext, @created_at, @created_by)`,
  );
  const insertRaw = sqlite.transaction((id: string) => {
    insertSubject.run({ ...subjectRow, id, dedup_hash: id });
    for (const row of attributeRows) insertAttribute.run({ ...row, subject_id: id });
  });
  rateSync((i) => insertRaw(`raw-warm-${i}`), warmUpSeconds);
  const rawInserts = rateSync((i) => insertRaw(`raw-${i}`));
  results.push({
    name: 'enrol (ctx.subjects.enrol)',
    opsPerSecond: enrolments,
    baseline: 'raw insert of the same rows',
    baselineOpsPerSecond: rawInserts,
  });

  // Avatar → subject: the registry's hot read, against a reused raw point select, same keys, same order.
  progress(`binding ${avatarCount} avatars to ${subjects.length} subjects…`);
  for (const id of worlds) await ctx.worlds.create({ id, name: id }, 'bench');
  const keys: { world: string; handle: string; subject: string }[] = [];
  for (let i = 0; i < avatarCount; i++) {
    const key = {
      world: worlds[i % worlds.length]!,
      handle: `avatar-${i}`,
      subject: subjects[i % subjects.length]!,
    };
    await ctx.avatars.bind(key, 'bench');
    keys.push(key);
  }
  shuffle(keys);
  const key = (i: number) => keys[i % keys.length]!;
  const select = sqlite.prepare('select subject_id from avatars where world_id = ? and handle = ?');
  for (let i = 0; i < 1000; i++) {
    const { world, handle, subject } = key(i);
    const viaService = await ctx.avatars.subjectOf(world, handle);
    const raw = (select.get(world, handle) as { subject_id: string }).subject_id;
    if (viaService !== subject || raw !== subject) throw new Error(`wrong subject for ${world}/${handle}`);
  }

  progress('looking avatars up…');
  const rawSelect = (i: number) => select.get(key(i).world, key(i).handle);
  const subjectOf = (i: number) => ctx.avatars.subjectOf(key(i).world, key(i).handle);
  rateSync(rawSelect, warmUpSeconds);
  await rateAsync(subjectOf, warmUpSeconds);
  const rawSelects = rateSync(rawSelect);
  const lookups = await rateAsync(subjectOf);
  results.push({
    name: 'avatar → subject (ctx.avatars.subjectOf)',
    opsPerSecond: lookups,
    baseline: 'raw point select',
    baselineOpsPerSecond: rawSelects,
    target: 0.5,
  });

  // The same lookup as a platform sees it, through routing, auth and serialisation (no sockets).
  const app = await buildServer(ctx);
  try {
    const { token } = await ctx.principals.create({ role: 'admin' });
    const headers = { authorization: `Bearer ${token}` };
    const get = async (i: number) => {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/worlds/${key(i).world}/avatars/${key(i).handle}`,
        headers,
      });
      if (response.statusCode !== 200) throw new Error(`GET avatar: ${response.statusCode} ${response.body}`);
    };
    await rateAsync(get, warmUpSeconds);
    results.push({
      name: 'GET /v1/worlds/:world/avatars/:handle (inject)',
      opsPerSecond: await rateAsync(get),
      baseline: 'raw point select',
      baselineOpsPerSecond: rawSelects,
    });
  } finally {
    await app.close();
  }
} finally {
  await ctx.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const rows = [
  ['benchmark', 'ops/s', 'baseline', 'baseline ops/s', 'ratio', 'target', ''],
  ...results.map((r) => {
    const ratio = r.opsPerSecond / r.baselineOpsPerSecond;
    return [
      r.name,
      number.format(r.opsPerSecond),
      r.baseline,
      number.format(r.baselineOpsPerSecond),
      percent(ratio),
      r.target === undefined ? '-' : `≥ ${percent(r.target)}`,
      r.target === undefined ? '' : ratio >= r.target ? 'met' : 'MISSED',
    ];
  }),
];
const numeric = new Set([1, 3, 4]);
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
console.log(
  `\nnode ${process.version}, ${os.cpus().length} cpus, SQLite (WAL, synchronous=FULL), ${avatarCount} avatars, ${seconds} s each\n`,
);
for (const row of rows) {
  console.log(
    row
      .map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

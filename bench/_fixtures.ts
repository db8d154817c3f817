// A throw-away SQLite store for one suite, built through the same context as the server, and the
// people enrolled in it.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { type AppContext, createContext } from '../src/context.ts';
import type { Enrolment } from '../src/identity/attributes.ts';

export const worlds = ['plaza', 'arena', 'market', 'harbour'];
export { dayMs as day } from '../src/util/time.ts';
export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

export interface BenchStore {
  dataDir: string;
  /** Handed to a child server as MDIS_MASTER_KEY so that it can open what this process sealed. */
  masterKey: Buffer;
  ctx: AppContext;
  /** Closes the context (once); the files stay until `remove`. */
  close(): Promise<void>;
  /** Closes the context if still open and deletes the data directory. */
  remove(): Promise<void>;
}

// Removed however the bench ends, even on a signal (see _http.ts), which skips `remove`.
const dataDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export async function openBenchStore(): Promise<BenchStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdis-bench-'));
  dataDirs.add(dataDir);
  const masterKey = randomBytes(32);
  // The rate limiter would turn an HTTP benchmark into a benchmark of 429s.
  const config = loadConfig({ dataDir, secrets: { masterKey }, rateLimit: { perSecond: 1e9 } }, {});
  const ctx = await createContext(config, { logger: pino({ level: 'warn' }) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await ctx.close();
  };
  return {
    dataDir,
    masterKey,
    ctx,
    close,
    async remove() {
      await close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      dataDirs.delete(dataDir);
    },
  };
}

/**
 * Runs `fill`, which seeds the store and is not measured, without waiting for the disk at each
 * commit; the store is back at synchronous=FULL, as it is opened, for what is measured after.
 */
export async function seeding<T>(ctx: AppContext, fill: () => Promise<T>): Promise<T> {
  const sqlite = ctx.store.sqlite!;
  sqlite.pragma('synchronous = OFF');
  try {
    return await fill();
  } finally {
    sqlite.pragma('synchronous = FULL');
  }
}

/** A plausible person; `i` makes the passport number, and so the identity, unique. */
export const person = (i: number): Enrolment => ({
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

/** Enrols `count` people and returns their digital ids. */
export async function enrolPeople(ctx: AppContext, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await ctx.subjects.enrol(person(i), 'bench')).id);
  return ids;
}

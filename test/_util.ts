import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { type Config, type ConfigOverrides, loadConfig } from '../src/config.ts';
import { type AppContext, createContext } from '../src/context.ts';
import type { Db } from '../src/db/database.ts';
import type { DatabaseSchema } from '../src/db/schema.ts';
import { buildServer, type ServerOptions } from '../src/http/server.ts';
import type { NewPrincipal } from '../src/principals/principal-service.ts';

/** The PostgreSQL server the suite also runs against; unset, those runs are skipped (loudly). */
export const postgresUrl = process.env.MDIS_TEST_POSTGRES_URL || undefined;

export type StoreName = 'sqlite' | 'postgres';
export const storeNames: StoreName[] = ['sqlite', 'postgres'];

export interface Harness {
  store: StoreName;
  ctx: AppContext;
  app: FastifyInstance;
  dataDir: string;
  /** The PostgreSQL schema of this suite (dropped afterwards). */
  schema: string | undefined;
  /** Everything the server logged, one JSON line each. */
  logs: string[];
  /** Creates a principal directly in the store and returns its token. */
  token(input: NewPrincipal): Promise<string>;
  call(method: string, url: string, options?: CallOptions): Promise<Reply>;
  /** Every row of every table, canonically ordered: equal snapshots mean nothing was written. */
  snapshot(): Promise<string>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed bodies. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON of any shape; each test asserts the fields it expects
  body: any;
  headers: Record<string, unknown>;
}

/** How many rows `table` holds: what a refused request must leave as it was. */
export async function rowsIn(db: Db, table: keyof DatabaseSchema): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mdis-${prefix}-`));
}

/**
 * Runs `define` once per store: SQLite in a temporary folder, and PostgreSQL in a schema of its
 * own when MDIS_TEST_POSTGRES_URL is set. The harness is ready inside the tests `define` adds.
 */
export function forEachStore(
  title: string,
  define: (h: Harness) => void,
  options: { config?: ConfigOverrides; now?: () => Date; server?: ServerOptions } = {},
): void {
  for (const store of storeNames) {
    if (store === 'postgres' && postgresUrl === undefined) {
      describe(`${title} [postgres]`, () => {
        describe('SKIPPED: set MDIS_TEST_POSTGRES_URL to run this suite against PostgreSQL', {
          skip: true,
        }, () => {});
      });
      continue;
    }
    describe(`${title} [${store}]`, () => {
      const harness = lazyHarness(store);
      before(async () => {
        // Known before the store opens, so that a failed open still cleans up.
        harness.dataDir = tempDir(store);
        const config = testConfig(store, harness.dataDir, options.config);
        harness.schema = config.databaseSchema;
        Object.assign(harness, await openHarness(config, options));
      });
      after(async () => {
        await harness.app?.close();
        await harness.ctx?.close();
        if (harness.schema !== undefined) await dropSchema(harness.schema);
        if (harness.dataDir !== undefined) fs.rmSync(harness.dataDir, { recursive: true, force: true });
      });
      define(harness);
    });
  }
}

// Tests are defined before the store opens; they receive this object and use it once `before` ran.
function lazyHarness(store: StoreName): Harness {
  return { store } as Harness;
}

export function testConfig(store: StoreName, dataDir: string, overrides: ConfigOverrides = {}): Config {
  return loadConfig(
    {
      dataDir,
      databaseUrl: store === 'postgres' ? postgresUrl : undefined,
      databaseSchema: store === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined,
      logLevel: 'info',
      secrets: { masterKey: randomBytes(32) },
      ...overrides,
    },
    {},
  );
}

async function openHarness(
  config: Config,
  options: { now?: () => Date; server?: ServerOptions },
): Promise<Omit<Harness, 'store' | 'dataDir' | 'schema'>> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const ctx = await createContext(config, { logger: pino({ level: 'info' }, sink), now: options.now });
  const app = await buildServer(ctx, options.server);
  return {
    ctx,
    app,
    logs,
    async token(input) {
      return (await ctx.principals.create(input)).token;
    },
    call: (method, url, callOptions) => call(app, method, url, callOptions),
    snapshot: () => snapshot(ctx.db, config.databaseSchema),
  };
}

export async function call(app: FastifyInstance, method: string, url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    payload = options.rawBody ?? JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await app.inject({ method: method as 'GET', url, headers, payload });
  let body: unknown = response.body;
  if (String(response.headers['content-type'] ?? '').startsWith('application/json')) body = response.json();
  return { status: response.statusCode, body, headers: response.headers } as Reply;
}

async function snapshot(db: Db, schema: string | undefined): Promise<string> {
  const dump: Record<string, string[]> = {};
  // Only this store's own tables, Kysely's migration tables included, in a fixed order: PostgreSQL
  // lists the catalog in no set order, and it changes when autovacuum rewrites catalog rows.
  const tables =
    schema === undefined
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(
          db,
        )
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(
          db,
        );
  for (const { name } of tables.rows) {
    const rows = await db
      .selectFrom(name as keyof DatabaseSchema)
      .selectAll()
      .execute();
    dump[name] = rows
      .map((row) =>
        JSON.stringify(row, (_key, value) =>
          value?.type === 'Buffer' ? Buffer.from(value.data).toString('base64') : value,
        ),
      )
      .sort();
  }
  return JSON.stringify(dump);
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** Every text value of every table of a PostgreSQL schema, for searches for plaintext. */
export async function dumpPostgresSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = current_schema()`.execute(db);
  let text = '';
  for (const { table_name } of rows) {
    const dump = await sql<{ t: string }>`select t::text as t from ${sql.table(table_name)} t`.execute(db);
    text += dump.rows.map((r) => r.t).join('\n');
  }
  return text;
}

let documentCounter = 0;

/** A valid person enrolment; each call has a document number of its own. */
export function personEnrolment(overrides: Record<string, unknown> = {}) {
  documentCounter++;
  return {
    kind: 'person',
    natural: {
      legalName: 'Thomas Example',
      birthDate: '1990-04-01',
      sex: 'M',
      nationality: 'GB',
      document: { type: 'passport', number: `P${process.pid}X${documentCounter}`, issuingCountry: 'GB' },
    },
    social: {
      occupation: 'Streamer',
      phone: '+447700900123',
      email: 'tom@example.org',
      accounts: [{ network: 'mastodon', handle: '@tom@example.social' }],
    },
    signs: { deviceIds: ['dev:4f3a-01'], avatarFingerprints: ['a'.repeat(64)] },
    ...overrides,
  };
}

export function organisationEnrolment(overrides: Record<string, unknown> = {}) {
  documentCounter++;
  return {
    kind: 'organisation',
    natural: {
      legalName: 'Plaza Ventures Ltd',
      registrationNumber: `REG-${process.pid}-${documentCounter}`,
      jurisdiction: 'GB',
      foundedOn: '2015-06-30',
    },
    ...overrides,
  };
}

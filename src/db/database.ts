import path from 'node:path';
import type Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { checkSchemaName, openPostgres } from './dialect/postgres/dialect.ts';
import { openSqlite } from './dialect/sqlite/dialect.ts';
import type { Engine } from './engine.ts';
import { migrationProvider } from './migrations/index.ts';
import type { DatabaseSchema } from './schema.ts';

export type Db = Kysely<DatabaseSchema>;

export interface Store {
  db: Db;
  engine: Engine;
  /** Where the data lives, for messages: the SQLite file or the PostgreSQL URL without password. */
  location: string;
  /** Set on the embedded store only. */
  sqlite: Database.Database | undefined;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
}

export const sqliteFileName = 'mdis.sqlite';

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store =
    options.databaseUrl === undefined ? embeddedStore(options.dataDir) : await serverStore(options);
  try {
    await migrate(store.db, store.engine, options.databaseSchema);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function embeddedStore(dataDir: string): Store {
  const file = path.join(dataDir, sqliteFileName);
  const { dialect, raw } = openSqlite(file);
  const db = new Kysely<DatabaseSchema>({ dialect });
  return { db, engine: 'sqlite', location: file, sqlite: raw, close: () => db.destroy() };
}

async function serverStore(options: StoreOptions): Promise<Store> {
  const url = options.databaseUrl!;
  const schema = options.databaseSchema;
  const { dialect } = openPostgres(url, schema);
  const db = new Kysely<DatabaseSchema>({ dialect });
  if (schema !== undefined) {
    await sql`create schema if not exists ${sql.id(checkSchemaName(schema))}`.execute(db);
  }
  const location = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') + (schema ? ` (schema ${schema})` : '');
  return { db, engine: 'postgres', location, sqlite: undefined, close: () => db.destroy() };
}

async function migrate(db: Db, engine: Engine, schema: string | undefined): Promise<void> {
  // Kysely finds its lock table in any schema unless told which: name ours, or a second store
  // in the same database would skip creating its own.
  const migrator = new Migrator({
    db,
    provider: migrationProvider(engine),
    migrationTableSchema: engine === 'postgres' ? (schema ?? 'public') : undefined,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

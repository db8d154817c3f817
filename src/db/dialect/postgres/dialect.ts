import pg from 'pg';
import { OwnSchemaPostgresDialect } from './introspector.ts';

export interface PostgresStore {
  dialect: OwnSchemaPostgresDialect;
  pool: pg.Pool;
}

// The store keeps times as text and counts as integers; BIGINT (int8) counts come back as
// strings by default, which would differ from SQLite.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function openPostgres(url: string, schema: string | undefined): PostgresStore {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A schema per test suite (or per tenant) is selected on every connection.
    options: schema === undefined ? undefined : `-c search_path=${checkSchemaName(schema)}`,
  });
  return { dialect: new OwnSchemaPostgresDialect({ pool }), pool };
}

export function checkSchemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name "${name}"`);
  return name;
}

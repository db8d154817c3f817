import {
  type ColumnMetadata,
  type DatabaseIntrospector,
  type Kysely,
  PostgresDialect,
  sql,
  type TableMetadata,
} from 'kysely';

/**
 * Kysely's PostgreSQL introspector reads every schema of the database and checks each by name, so
 * it fails when another store in the same database drops its schema at that moment. The migrator
 * only needs this store's own tables: these come from the first schema on the search path alone.
 */
export class OwnSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
}

class OwnSchemaIntrospector implements DatabaseIntrospector {
  #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas() {
    const { rows } = await sql<{ name: string | null }>`select current_schema() as name`.execute(this.#db);
    return rows.flatMap(({ name }) => (name === null ? [] : [{ name }]));
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      schema: string;
      table: string;
      tableType: string;
      column: string;
      dataType: string;
      dataTypeSchema: string;
      nullable: string;
      default: string | null;
    }>`
      select c.table_schema as schema, c.table_name as table, t.table_type as "tableType",
             c.column_name as column, c.udt_name as "dataType", c.udt_schema as "dataTypeSchema",
             c.is_nullable as nullable, c.column_default as default
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(this.#db);
    const tables = new Map<string, TableMetadata & { columns: ColumnMetadata[] }>();
    for (const row of rows) {
      let table = tables.get(row.table);
      if (table === undefined) {
        table = {
          name: row.table,
          schema: row.schema,
          isView: row.tableType === 'VIEW',
          isForeign: row.tableType === 'FOREIGN',
          columns: [],
        };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.dataType,
        dataTypeSchema: row.dataTypeSchema,
        isNullable: row.nullable === 'YES',
        isAutoIncrementing: row.default?.startsWith('nextval(') ?? false,
        hasDefaultValue: row.default !== null,
      });
    }
    return [...tables.values()];
  }
}

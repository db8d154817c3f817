import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/**
 * A query built and compiled once, then run with new parameters: for hot paths, where building
 * and compiling the query each time costs more than running it. Build it with placeholder
 * values; each call passes the parameters in the order they appear in the compiled SQL.
 */
export function preparedQuery<Row>(query: Compilable<Row>) {
  const compiled: CompiledQuery<Row> = query.compile();
  return <Db>(db: Kysely<Db>, parameters: readonly unknown[]): Promise<QueryResult<Row>> =>
    db.executeQuery<Row>({ ...compiled, parameters });
}

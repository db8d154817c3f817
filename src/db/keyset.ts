import { type SelectQueryBuilder, sql } from 'kysely';
import { decodeCursor, encodeCursor, type Page } from '../util/cursor.ts';

/** One column of a keyset: its name in the selected rows, its type in the cursor, its order. */
export interface KeyColumn<Row> {
  column: keyof Row & string;
  type: 'string' | 'number';
  order: 'asc' | 'desc';
}

/** A sort key of two columns, the second (an id) making it unique. */
export type Keyset<Row> = readonly [KeyColumn<Row>, KeyColumn<Row>];

/**
 * One page of `query` in keyset order: sorts by `key`, starts after the row `page.cursor` names
 * (a malformed cursor is a 400), reads one row more than `page.limit` to know whether another
 * page follows, and hands the page's rows to `view`. The cursor is the key of the last row.
 */
export async function keysetPage<DB, TB extends keyof DB, Row, Item>(
  query: SelectQueryBuilder<DB, TB, Row>,
  page: { cursor?: string; limit: number },
  key: Keyset<Row>,
  view: (rows: Row[]) => Item[] | Promise<Item[]>,
): Promise<Page<Item>> {
  const [first, second] = key;
  let ordered = query
    .orderBy(sql.ref(first.column), first.order)
    .orderBy(sql.ref(second.column), second.order)
    .limit(page.limit + 1);
  if (page.cursor !== undefined) {
    const [a, b] = decodeCursor(page.cursor, [first.type, second.type]);
    ordered = ordered.where(after(key, a, b));
  }
  const rows = await ordered.execute();
  const items = await view(rows.slice(0, page.limit));
  const last = rows[page.limit - 1];
  if (rows.length <= page.limit || last === undefined) return { items };
  return { items, cursor: encodeCursor([last[first.column], last[second.column]] as (string | number)[]) };
}

// The rows after (a, b) in key order. Both columns in one direction compare as a row value, which
// both engines read as a range of the index that serves the sort.
function after<Row>(key: Keyset<Row>, a: string | number, b: string | number) {
  const [first, second] = key;
  const x = sql.ref(first.column);
  const y = sql.ref(second.column);
  const beyond = (order: 'asc' | 'desc') => sql.raw(order === 'asc' ? '>' : '<');
  if (first.order === second.order) return sql<boolean>`(${x}, ${y}) ${beyond(first.order)} (${a}, ${b})`;
  return sql<boolean>`(${x} ${beyond(first.order)} ${a} or (${x} = ${a} and ${y} ${beyond(second.order)} ${b}))`;
}

/** By creation time, oldest first (ties by id): queues and registries. */
export const oldestFirst: Keyset<{ created_at: string; id: string }> = [
  { column: 'created_at', type: 'string', order: 'asc' },
  { column: 'id', type: 'string', order: 'asc' },
];

/** By creation time, newest first (ties by id): records read from the latest back. */
export const newestFirst: Keyset<{ created_at: string; id: string }> = [
  { column: 'created_at', type: 'string', order: 'desc' },
  { column: 'id', type: 'string', order: 'desc' },
];

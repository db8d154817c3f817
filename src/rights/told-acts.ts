import type { Db } from '../db/database.ts';

/** The kinds of act a person is told of only once their gag ends, by the ref naming each. */
const gaggedActs = [
  { kind: 'disclosure.', ref: 'disclosure', table: 'disclosures' },
  { kind: 'preservation.', ref: 'preservation', table: 'preservations' },
] as const;

/**
 * Which log entries about a person it may see now: an entry of a disclosure or a preservation
 * order is shown once that act's gag has ended (the person is told of it then, not by its own
 * log entries before). An entry of such a kind that names no act the person is told of (a request
 * refused by policy writes no row) stays hidden. Every other entry is shown.
 */
export async function toldFilter(db: Db, subject: string, now: string): Promise<(entry: string) => boolean> {
  const told = new Set<string>();
  for (const act of gaggedActs) {
    const rows = await db
      .selectFrom(act.table)
      .select('id')
      .where('subject_id', '=', subject)
      .where('gag_until', '<=', now)
      .execute();
    for (const row of rows) told.add(row.id);
  }
  return (entry) => {
    const parsed = JSON.parse(entry) as { kind: string; refs?: Record<string, unknown> };
    const act = gaggedActs.find((a) => parsed.kind.startsWith(a.kind));
    if (act === undefined) return true;
    const id = parsed.refs?.[act.ref];
    return typeof id === 'string' && told.has(id);
  };
}

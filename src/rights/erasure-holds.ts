import type { ErasureHoldNow } from '../api/rights.ts';
import type { Db } from '../db/database.ts';
import type { ErasureBlocker } from '../policy/policy.ts';
import type { PreservationService } from './preservation-service.ts';

/**
 * What holds a subject's erasure at `now`: an open (or appealed) case or a pending appeal, and an
 * active sanction, where the policy's `retention.blockedBy` lists them; and always a preservation
 * order in force (`legal_hold`, unnamed and undated, while its gag lasts). Each with when it ends on its own (null: an open case, a sanction without end).
 */
export async function erasureHolds(
  db: Db,
  subject: string,
  options: { blockers: readonly ErasureBlocker[]; preservations: PreservationService; now: Date },
): Promise<ErasureHoldNow[]> {
  const { blockers, preservations, now } = options;
  const at = now.toISOString();
  const holds: ErasureHoldNow[] = [];
  if (blockers.includes('open_case')) {
    const open = await db
      .selectFrom('cases')
      .select('id')
      .where('subject_id', '=', subject)
      .where('status', 'in', ['open', 'appealed'])
      .executeTakeFirst();
    // A pending appeal (of a sanction, a disclosure, a contribution) is a matter still open too.
    const appeal = await db
      .selectFrom('appeals')
      .select('id')
      .where('subject_id', '=', subject)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (open !== undefined || appeal !== undefined) holds.push({ reason: 'open_case', earliestDate: null });
  }
  if (blockers.includes('active_sanction')) {
    const active = await db
      .selectFrom('sanctions')
      .select('ends_at')
      .where('subject_id', '=', subject)
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
      .execute();
    if (active.length > 0) {
      const ends = active.map((s) => s.ends_at);
      holds.push({ reason: 'active_sanction', earliestDate: ends.includes(null) ? null : latestOf(ends) });
    }
  }
  // An order still under its gag holds as much, but is not named, nor its end given: the person
  // is told of it only when the gag ends (docs/rights.md, Preserve).
  const preserved = await preservations.inForce(subject, now, db);
  const told = preserved.filter((order) => order.gagUntil <= at);
  if (told.length > 0) holds.push({ reason: 'preservation', earliestDate: told[0]!.endsAt });
  if (told.length < preserved.length) holds.push({ reason: 'legal_hold', earliestDate: null });
  return holds;
}

/** The date by which every hold has ended on its own; null if one has no set end. */
export function latest(holds: readonly ErasureHoldNow[]): string | null {
  const ends = holds.map((h) => h.earliestDate);
  return ends.includes(null) ? null : latestOf(ends);
}

function latestOf(dates: readonly (string | null)[]): string {
  return dates.reduce<string>((a, b) => (b !== null && b > a ? b : a), '');
}

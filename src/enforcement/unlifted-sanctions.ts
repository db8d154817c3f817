import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SanctionsTable } from '../db/tables/sanctions.ts';

/** A sanction row as the eligibility index reads it. */
export type UnliftedSanction = Pick<
  Selectable<SanctionsTable>,
  'id' | 'subject_id' | 'kind' | 'world_id' | 'actions' | 'starts_at' | 'ends_at'
>;

/** The sanctions not lifted, of every subject or of some: what the eligibility index holds. */
export function unliftedSanctions(db: Db, subjects?: readonly string[]): Promise<UnliftedSanction[]> {
  let query = db
    .selectFrom('sanctions')
    .select(['id', 'subject_id', 'kind', 'world_id', 'actions', 'starts_at', 'ends_at'])
    .where('status', '=', 'active');
  if (subjects !== undefined) query = query.where('subject_id', 'in', subjects);
  return query.execute();
}

import type { Db } from '../db/database.ts';

export interface UnliftedSanction {
  id: string;
  subject_id: string;
  kind: string;
  world_id: string | null;
  actions: string | null;
  starts_at: string;
  ends_at: string | null;
}

/** The sanctions not lifted, of every subject or of some: what the eligibility index holds. */
export function unliftedSanctions(db: Db, subjects?: readonly string[]): Promise<UnliftedSanction[]> {
  let query = db
    .selectFrom('sanctions')
    .select(['id', 'subject_id', 'kind', 'world_id', 'actions', 'starts_at', 'ends_at'])
    .where('status', '=', 'active');
  if (subjects !== undefined) query = query.where('subject_id', 'in', subjects);
  return query.execute();
}

import type { Db } from '../db/database.ts';

/**
 * The subjects (of all, or of some) whose grade is one of `grades`: those some action is denied
 * at, for the eligibility index. A plain query, so that the index can load before the credit
 * service that tells it of grade changes exists.
 */
export async function subjectsAtGrades(
  db: Db,
  grades: readonly string[],
  subjects?: readonly string[],
): Promise<{ subject_id: string; grade: string }[]> {
  if (grades.length === 0) return [];
  let query = db.selectFrom('credit_scores').select(['subject_id', 'grade']).where('grade', 'in', grades);
  if (subjects !== undefined) query = query.where('subject_id', 'in', subjects);
  return query.execute();
}

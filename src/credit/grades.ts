import type { Db } from '../db/database.ts';
import type { CreditModel, Weighable } from './model.ts';

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

/** The grade of each of `subjects` that has a score. */
export async function gradesOf(db: Db, subjects: readonly string[]): Promise<Map<string, string>> {
  if (subjects.length === 0) return new Map();
  const rows = await db
    .selectFrom('credit_scores')
    .select(['subject_id', 'grade'])
    .where('subject_id', 'in', subjects)
    .execute();
  return new Map(rows.map((row) => [row.subject_id, row.grade]));
}

/**
 * The grade each of `subjects` has without the points of negative events counted directly
 * (`negativeEvents: "direct"`), evaluated on `day`, for those that have such points: actions
 * outside the worlds are denied at this grade, so that such a denial never rests on a world's
 * word alone. Subjects without such points are left out (their grade is the same).
 */
export async function gradesWithoutDirectPoints(
  db: Db,
  model: CreditModel,
  day: number,
  subjects: readonly string[],
): Promise<Map<string, string>> {
  const grades = new Map<string, string>();
  const negative = Object.entries(model.policy.document.categories)
    .filter(([, category]) => category.polarity === 'negative')
    .map(([name]) => name);
  for (let i = 0; i < subjects.length && negative.length > 0; i += chunk) {
    const some = subjects.slice(i, i + chunk);
    const events = await db
      .selectFrom('credit_contributions')
      .select(['subject_id', 'cause_kind', 'code', 'severity'])
      .where('subject_id', 'in', some)
      .where('cause_kind', '=', 'event')
      .where('code', 'in', negative)
      .where('status', '=', 'active')
      .execute();
    const direct = [
      ...new Set(events.filter((e) => model.isDirect(toWeighable(e))).map((e) => e.subject_id)),
    ];
    if (direct.length === 0) continue;
    const rows = await db
      .selectFrom('credit_contributions')
      .select(['subject_id', 'cause_kind', 'code', 'severity', 'day'])
      .where('subject_id', 'in', direct)
      .where('status', '=', 'active')
      .execute();
    for (const subject of direct) {
      const reviewed = rows.filter((r) => r.subject_id === subject && !model.isDirect(toWeighable(r)));
      grades.set(subject, model.evaluate(reviewed.map(toWeighable), day).grade);
    }
  }
  return grades;
}

const chunk = 200;

function toWeighable(row: {
  cause_kind: Weighable['causeKind'];
  code: string;
  severity: number | null;
  day?: number;
}): Weighable {
  return { causeKind: row.cause_kind, code: row.code, severity: row.severity, day: row.day ?? 0 };
}

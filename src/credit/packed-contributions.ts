import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { type Policy, sanctionKinds } from '../policy/policy.ts';
import type { Contribution, CreditModel, Weight } from './model.ts';
import { type BatchContributions, UnpairedContributionError } from './rescore.ts';

// A full recompute on SQLite reads each subject's contributions as one string: per contribution
// its weight key and day, "key day,key day,…", the key computed in SQL from cause kind, code and
// severity. Reading 10 M contributions as rows made three strings and an array each, and that
// was most of a recompute: measured on one thread, 5.5–6.9 s as rows of integers against 4.0–4.7 s
// packed, parsing included.

/** [subject, "key day,key day,…"] */
export type PackedRow = [subject: string, packed: string];

const causeKinds: readonly Contribution['causeKind'][] = ['case', 'event', 'sanction'];
/** Severities 1–15 keep their own slot (the policy allows at most 10); 0 is none. */
const severitySlots = 16;

/** The codes a key can name, in key order: the policy's categories, then the sanction kinds. */
function codesOf(policy: Policy): string[] {
  return [...Object.keys(policy.document.categories), ...sanctionKinds];
}

/**
 * The contributions of the subjects with ids in (after, last], packed, one row per subject that
 * has any, in subject order. Its only parameters are `after` and `last`, in that order.
 */
export function packedContributionsBetween(db: Db, policy: Policy, after: string, last: string) {
  const codes = codesOf(policy);
  // Codes and kinds are literals: policy keys match ^[a-z][a-z0-9_]*$, and the key formula must
  // stay what weightsByKey decodes.
  const code = sql`case code ${sql.join(
    codes.map((name, i) => sql`when ${sql.lit(name)} then ${sql.lit(i)}`),
    sql` `,
  )} else ${sql.lit(codes.length)} end`;
  const kind = sql`case cause_kind ${sql.join(
    causeKinds.map((name, i) => sql`when ${sql.lit(name)} then ${sql.lit(i)}`),
    sql` `,
  )} else ${sql.lit(causeKinds.length)} end`;
  const key = sql`((${kind}) * ${sql.lit(codes.length + 1)} + (${code})) * ${sql.lit(severitySlots)} + max(0, min(coalesce(severity, 0), ${sql.lit(severitySlots - 1)}))`;
  return db
    .selectFrom('credit_contributions')
    .select(['subject_id', sql<string>`group_concat((${key}) || ' ' || day, ',')`.as('packed')])
    .where('subject_id', '>', after)
    .where('subject_id', '<=', last)
    .where('status', '=', sql.lit('active'))
    .groupBy('subject_id')
    .orderBy('subject_id');
}

/** The weight of every key packedContributionsBetween can give, as the model weighs it. */
export function weightsByKey(model: CreditModel): Weight[] {
  const codes = codesOf(model.policy);
  const weights: Weight[] = [];
  for (const kind of [...causeKinds, undefined]) {
    for (const code of [...codes, undefined]) {
      for (let severity = 0; severity < severitySlots; severity++) {
        weights.push(
          // An unknown kind or code weighs as the model weighs what it does not know.
          model.weightOf(kind ?? ('unknown' as Contribution['causeKind']), code ?? '', severity || null),
        );
      }
    }
  }
  return weights;
}

/** Packed rows, walked subject by subject in the order of a batch's score rows. */
export function packedContributions(
  model: CreditModel,
  weights: Weight[],
  rows: PackedRow[],
  day: number,
): BatchContributions {
  let next = 0;
  let count = 0;
  return {
    addNext(subject, totals) {
      const row = rows[next];
      if (row?.[0] !== subject) return;
      next++;
      const packed = row[1];
      let number = 0;
      let key = 0;
      for (let i = 0; i <= packed.length; i++) {
        const c = i < packed.length ? packed.charCodeAt(i) : 44;
        if (c === 32) {
          key = number;
          number = 0;
        } else if (c === 44) {
          model.addDecayed(totals, weights[key]!, day - number);
          count++;
          number = 0;
        } else {
          number = number * 10 + (c - 48);
        }
      }
    },
    finish() {
      if (next !== rows.length) throw new UnpairedContributionError(rows[next]![0]);
      return count;
    },
  };
}

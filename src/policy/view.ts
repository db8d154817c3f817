import type { PolicyView } from '../api/policy.ts';
import { attributeGroups, legalBasisKinds, sanctionKinds, subjectKinds } from '../api/words.ts';
import type { Policy } from './policy.ts';

/** A snake_case or dotted name in words, capitalised: `spreading_rumors` → "Spreading rumors". */
export function labelOf(name: string): string {
  const spoken = name.replaceAll('_', ' ').replaceAll('.', ': ');
  return spoken.charAt(0).toUpperCase() + spoken.slice(1);
}

const named = <T extends string>(values: readonly T[]) =>
  values.map((name) => ({ name, label: labelOf(name) }));

/**
 * The policy in force as `GET /v1/policy` serves it: lists in the policy's order, each value with
 * its label. Built once per policy (it never changes while an instance runs).
 */
export function policyView(policy: Policy): PolicyView {
  const { document } = policy;
  const { credit } = document;
  return {
    name: document.name,
    digest: policy.digest,
    categories: Object.entries(document.categories).map(([name, c]) => ({
      name,
      label: c.label ?? labelOf(name),
      description: c.description,
      polarity: c.polarity,
      speech: c.speech === true,
      maxSeverity: c.maxSeverity,
      dimension: c.dimension,
      points: c.points,
      disclosure: c.disclosure,
    })),
    actions: Object.entries(document.actions).map(([name, a]) => ({
      name,
      label: labelOf(name),
      description: a.description,
      deniedBy: a.deniedBy,
      deniedAtGrades: a.deniedAtGrades,
    })),
    sanctionKinds: sanctionKinds.map((name) => ({
      name,
      label: labelOf(name),
      points: credit.sanctionPoints[name],
    })),
    grades: credit.grades.map(({ grade, min, max }) => ({ grade, min, max })),
    scores: { base: credit.base, floor: credit.floor, ceiling: credit.ceiling, bandWidth: credit.bandWidth },
    legalBases: named(legalBasisKinds),
    attributeGroups: named(attributeGroups),
    subjectKinds: named(subjectKinds),
    readPurposes: named(policy.readPurposes),
    strikes: {
      expiresAfterDays: document.strikes.expiresAfterDays,
      perSeverity: document.strikes.perSeverity,
      ladder: document.strikes.ladder,
    },
    appeals: document.appeals,
    emergencyReviewHours: document.disclosure.emergencyReviewHours,
  };
}

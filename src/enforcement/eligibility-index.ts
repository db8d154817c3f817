import type { PolicyDocument, SanctionKind } from '../policy/policy.ts';
import { absent, DigitalIdTable, present } from './digital-id-table.ts';

/** A sanction as the index keeps it: times in epoch milliseconds. */
export interface IndexedSanction {
  id: string;
  kind: SanctionKind;
  world: string | null;
  actions: readonly string[] | null;
  startsAt: number;
  endsAt: number | null;
}

export const eligibilityReasons = [
  'eligible',
  'banned',
  'suspended',
  'restricted',
  'muted',
  'grade',
] as const;
export type EligibilityReason = (typeof eligibilityReasons)[number];

export interface Eligibility {
  allowed: boolean;
  reason: EligibilityReason;
  sanctionIds: string[];
}

const eligible: Eligibility = Object.freeze({
  allowed: true,
  reason: 'eligible',
  sanctionIds: Object.freeze([]) as never,
});
const deniedByGrade: Eligibility = Object.freeze({
  allowed: false,
  reason: 'grade',
  sanctionIds: Object.freeze([]) as never,
});

// When several sanctions deny an action, the answer names the gravest.
const gravity: Record<SanctionKind, number> = { ban: 4, suspension: 3, restriction: 2, mute: 1, warning: 0 };
const reasonOf: Record<SanctionKind, EligibilityReason> = {
  ban: 'banned',
  suspension: 'suspended',
  restriction: 'restricted',
  mute: 'muted',
  warning: 'eligible',
};

/** Actions taken in a world (`world.*`): judged in one world, and the only ones a platform checks. */
export function isWorldAction(action: string): boolean {
  return action.startsWith('world.');
}

/**
 * What the index keeps of a subject that has sanctions or a grade some action is denied at: its
 * grade, and the grade it would have without the points of negative events counted directly,
 * which is the one actions outside the worlds are denied at.
 */
interface Standing {
  sanctions: IndexedSanction[];
  grade: string | undefined;
  outsideGrade: string | undefined;
  /** Erased: checked as unknown (the table never removes an id), answered 410 by the service. */
  erased?: true;
}

/** The grades an action is denied at, and which of a subject's two grades it reads. */
interface GradeRule {
  grades: ReadonlySet<string>;
  outside: boolean;
}

/**
 * Which subjects exist, which sanctions they carry and which have a grade some action is denied
 * at, in memory, so that an eligibility check is one lookup in a table of digital IDs. A subject
 * with nothing against it costs one 16-byte slot there (21 to 43 bytes with the table's spare
 * room); the others are marked, and their standing kept in a map beside it. Pure: the service
 * fills it.
 */
export class EligibilityIndex {
  readonly #subjects = new DigitalIdTable();
  /** The standing of every marked subject: those with sanctions or a grade kept. */
  readonly #standings = new Map<string, Standing>();
  readonly #deniedBy: ReadonlyMap<string, ReadonlySet<SanctionKind>>;
  readonly #deniedAtGrades: ReadonlyMap<string, GradeRule>;
  /** The grades some action is denied at: only those are kept. */
  readonly deniedGrades: readonly string[];

  constructor(actions: PolicyDocument['actions']) {
    this.#deniedBy = new Map(Object.entries(actions).map(([name, a]) => [name, new Set(a.deniedBy)]));
    this.#deniedAtGrades = new Map(
      Object.entries(actions).map(([name, a]) => [
        name,
        { grades: new Set(a.deniedAtGrades), outside: !isWorldAction(name) },
      ]),
    );
    this.deniedGrades = [...new Set(Object.values(actions).flatMap((a) => a.deniedAtGrades))];
  }

  get size(): number {
    return this.#subjects.size;
  }

  /** Adds a subject (a canonical digital ID; anything else is a RangeError). */
  addSubject(subject: string): void {
    this.#subjects.add(subject);
  }

  /** Replaces a subject's sanctions (those not lifted; the index itself ignores the expired). */
  setSanctions(subject: string, sanctions: IndexedSanction[]): void {
    const standing = this.#standings.get(subject);
    this.#set(subject, { sanctions, grade: standing?.grade, outsideGrade: standing?.outsideGrade });
  }

  /**
   * Records a subject's grade, and the grade it has without the points of negative events counted
   * directly (the same when it has none), which actions outside the worlds are denied at; only
   * grades some action is denied at are kept.
   */
  setGrade(subject: string, grade: string, outsideGrade: string = grade): void {
    const kept = (g: string) => (this.deniedGrades.includes(g) ? g : undefined);
    const sanctions = this.#standings.get(subject)?.sanctions ?? [];
    this.#set(subject, { sanctions, grade: kept(grade), outsideGrade: kept(outsideGrade) });
  }

  /** Marks a subject erased: from now on `check` answers as for a subject it does not know. */
  markErased(subject: string): void {
    this.#subjects.mark(subject, true);
    this.#standings.set(subject, { sanctions: [], grade: undefined, outsideGrade: undefined, erased: true });
  }

  #set(subject: string, standing: Standing): void {
    if (this.#standings.get(subject)?.erased) return;
    const against =
      standing.sanctions.length > 0 || standing.grade !== undefined || standing.outsideGrade !== undefined;
    this.#subjects.mark(subject, against);
    if (against) this.#standings.set(subject, standing);
    else this.#standings.delete(subject);
  }

  /**
   * May `subject` do `action` (in `world`, for world actions) at `now`? Undefined for a subject
   * the index does not know. The action must be in the policy's catalogue.
   */
  check(subject: string, action: string, world: string | undefined, now: number): Eligibility | undefined {
    const found = this.#subjects.lookup(subject);
    if (found === present) return eligible;
    if (found === absent) return undefined;
    const standing = this.#standings.get(subject)!;
    if (standing.erased) return undefined;
    const deniedBy = this.#deniedBy.get(action);
    let gravest: SanctionKind | undefined;
    const ids: string[] = [];
    for (const s of standing.sanctions) {
      if (s.startsAt > now || (s.endsAt !== null && s.endsAt <= now)) continue;
      const denies =
        s.kind === 'restriction'
          ? s.actions?.includes(action) === true
          : deniedBy?.has(s.kind) === true && (s.kind === 'ban' || s.world === world);
      if (!denies) continue;
      ids.push(s.id);
      if (gravest === undefined || gravity[s.kind] > gravity[gravest]) gravest = s.kind;
    }
    if (gravest !== undefined) return { allowed: false, reason: reasonOf[gravest], sanctionIds: ids };
    // A sanction that denies is the better reason to give; the grade comes after them.
    const rule = this.#deniedAtGrades.get(action);
    if (rule === undefined) return eligible;
    const grade = rule.outside ? standing.outsideGrade : standing.grade;
    return grade !== undefined && rule.grades.has(grade) ? deniedByGrade : eligible;
  }
}

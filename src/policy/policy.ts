import { createHash } from 'node:crypto';
import Type from 'typebox';
import { type SanctionKind, sanctionKinds } from '../api/words.ts';
import { ValidationError } from '../errors.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { actionPattern } from '../util/patterns.ts';
import { compileCheck, StringEnum } from '../util/validation.ts';
import { type DisclosureRule, DisclosureSchema, disclosureRules } from './disclosure-rules.ts';

export { type SanctionKind, sanctionKinds } from '../api/words.ts';

/** Sanctions that hold in one world only; a ban holds in every world, a restriction everywhere. */
export const worldScopedKinds: readonly SanctionKind[] = ['mute', 'suspension'];

const strict = { additionalProperties: false } as const;
const key = '^[a-z][a-z0-9_]{1,39}$';
const days = Type.Integer({ minimum: 1, maximum: 36500 });

const points = Type.Integer({ minimum: -10000, maximum: 10000 });
/** An action, every action of a category (`travel.*`), or every action (`*`). */
const digitalIdCheckPattern =
  '^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*\\.\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+)$';

const Category = Type.Object(
  {
    polarity: StringEnum(['negative', 'positive']),
    label: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 60,
        description: 'what the console shows for it (default: its name in words, "Spreading rumors")',
      }),
    ),
    speech: Type.Optional(
      Type.Boolean({ description: 'conduct that is something said (rumours, hate speech): checked harder' }),
    ),
    maxSeverity: Type.Integer({ minimum: 1, maximum: 10, description: 'severities run from 1 to this' }),
    description: Type.String({ minLength: 1, maxLength: 300 }),
    dimension: Type.String({ pattern: key, description: 'the credit dimension it counts in' }),
    points: Type.Array(points, {
      minItems: 1,
      maxItems: 10,
      description: 'credit points by severity, 1 first',
    }),
    disclosure: DisclosureSchema,
    negativeEvents: Type.Optional(
      StringEnum(['report', 'direct'], {
        description:
          'what a negative conduct event of this category does: files a report that a moderator decides (report, the default), or counts on the score at once (direct: warned about, appealable as a credit contribution, and never alone the ground of a denial by grade outside the worlds)',
      }),
    ),
  },
  strict,
);

const Credit = Type.Object(
  {
    base: Type.Integer({ minimum: 0, maximum: 100000 }),
    floor: Type.Integer({ minimum: 0, maximum: 100000 }),
    ceiling: Type.Integer({ minimum: 1, maximum: 100000 }),
    dimensions: Type.Record(
      Type.String({ pattern: key }),
      Type.Object({ halfLifeDays: days, description: Type.String({ minLength: 1, maxLength: 300 }) }, strict),
      { ...strict, minProperties: 1 },
    ),
    expiresBelowPoints: Type.Integer({ minimum: 1, maximum: 1000 }),
    sanctionDimension: Type.String({ pattern: key, description: 'the dimension sanctions count in' }),
    sanctionPoints: Type.Object(
      Object.fromEntries(sanctionKinds.map((kind) => [kind, points])) as Record<SanctionKind, typeof points>,
      strict,
    ),
    grades: Type.Array(
      Type.Object(
        { grade: Type.String({ pattern: '^[A-Z][A-Z+-]{0,3}$' }), min: Type.Integer(), max: Type.Integer() },
        strict,
      ),
      { minItems: 1, maxItems: 20 },
    ),
    bandWidth: Type.Integer({
      minimum: 1,
      maximum: 10000,
      description: 'score band width for distributions',
    }),
  },
  strict,
);

const LadderStep = Type.Object(
  {
    atStrikes: Type.Integer({ minimum: 1, maximum: 1000 }),
    sanction: StringEnum(['suspension', 'ban']),
    days: Type.Optional(days),
  },
  strict,
);

/** What may hold an erasure besides a preservation order, which always does. */
export const erasureBlockers = ['open_case', 'active_sanction'] as const;
export type ErasureBlocker = (typeof erasureBlockers)[number];

const retentionDays = Type.Integer({ minimum: 0, maximum: 3650 });
const KindRetention = Type.Object(
  {
    afterRequestDays: retentionDays,
    afterClosureDays: retentionDays,
  },
  { ...strict, description: 'days a subject of this kind is kept after an erasure request, or a closure' },
);

/** How long a subject's data is kept once erasure is asked for, and what holds an erasure. */
const Retention = Type.Object(
  {
    person: KindRetention,
    organisation: KindRetention,
    agency: KindRetention,
    blockedBy: Type.Array(StringEnum(erasureBlockers), {
      uniqueItems: true,
      description:
        'what holds an erasure besides a preservation order (which always does): an open case, an active sanction',
    }),
  },
  strict,
);

export const PolicyDocument = Type.Object(
  {
    version: Type.Literal(1),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    categories: Type.Record(Type.String({ pattern: key }), Category, { ...strict, minProperties: 1 }),
    strikes: Type.Object(
      {
        perSeverity: Type.Record(
          Type.String({ pattern: '^[1-9][0-9]?$' }),
          Type.Integer({ minimum: 0, maximum: 100 }),
        ),
        expiresAfterDays: days,
        ladder: Type.Array(LadderStep, { maxItems: 50 }),
      },
      strict,
    ),
    actions: Type.Record(
      Type.String({ pattern: actionPattern }),
      Type.Object(
        {
          description: Type.String({ minLength: 1, maxLength: 300 }),
          deniedBy: Type.Array(StringEnum(['ban', 'suspension', 'mute']), { uniqueItems: true }),
          deniedAtGrades: Type.Array(Type.String(), { uniqueItems: true }),
        },
        strict,
      ),
      { ...strict, minProperties: 1 },
    ),
    appeals: Type.Object(
      {
        windowDays: days,
        sanctionWindowDays: Type.Optional(days),
        disclosureWindowDays: Type.Optional(days),
        contributionWindowDays: Type.Optional(days),
      },
      strict,
    ),
    events: Type.Optional(
      Type.Object(
        {
          positiveCap: Type.Object(
            {
              points: Type.Integer({
                minimum: 0,
                maximum: 100000,
                description:
                  'the most points positive events of one world may add to one subject in a period',
              }),
              periodDays: days,
            },
            strict,
          ),
        },
        strict,
      ),
    ),
    disclosure: Type.Object(
      {
        emergencyReviewHours: Type.Integer({
          minimum: 1,
          maximum: 720,
          description: 'oversight reviews an emergency disclosure within this many hours',
        }),
      },
      strict,
    ),
    credit: Credit,
    identity: Type.Optional(
      Type.Object(
        {
          rawAvatarBinding: Type.Boolean({
            description:
              'platforms may still bind an avatar to a raw digital ID (PUT /v1/worlds/{world}/avatars/{handle}), for migration only; off by default: avatars are bound by the person’s consent',
          }),
        },
        strict,
      ),
    ),
    access: Type.Optional(
      Type.Object(
        {
          readPurposes: Type.Array(Type.String({ pattern: key }), {
            minItems: 1,
            maxItems: 50,
            uniqueItems: true,
            description:
              'why staff may read a decrypted profile (GET /v1/subjects/{id}?purpose=): each read names one and is logged',
          }),
        },
        strict,
      ),
    ),
    principals: Type.Optional(
      Type.Object(
        {
          proposalDays: Type.Integer({
            minimum: 1,
            maximum: 90,
            description:
              'a proposal to create or revoke an admin, oversight or auditor principal expires unless another admin decides it within this many days (default 7)',
          }),
        },
        strict,
      ),
    ),
    eligibility: Type.Optional(
      Type.Object(
        {
          digitalIdChecks: Type.Array(Type.String({ pattern: digitalIdCheckPattern }), {
            maxItems: 100,
            uniqueItems: true,
            description:
              'the actions services may still check by digital ID (`GET /v1/eligibility?subject=`): action names, `category.*` or `*`; every other check is by the service’s own pseudonym for the person (`?pseudonym=`). Without `eligibility`, every action (as before pseudonyms per service)',
          }),
        },
        strict,
      ),
    ),
    retention: Type.Optional(Retention),
  },
  strict,
);
export type PolicyDocument = Type.Static<typeof PolicyDocument>;

/** A validated policy with the lookups the services need. */
export interface Policy {
  document: PolicyDocument;
  /** SHA-256 of the canonical JSON: the policy's version as recorded. */
  digest: string;
  category(name: string): PolicyDocument['categories'][string] | undefined;
  strikesFor(severity: number): number;
  /** The ladder step reached when a subject's active strikes go from `before` to `after`. */
  ladderStepCrossed(before: number, after: number): PolicyDocument['strikes']['ladder'][number] | undefined;
  isAction(name: string): boolean;
  /** The grade whose band holds `score` (scores are clamped to the bands' range first). */
  gradeOf(score: number): string;
  /** How disclosure may follow conduct of `category`; undefined where it may not (or no such category). */
  disclosureRule(category: string): DisclosureRule | undefined;
  /** The purposes a staff read of a decrypted profile may name (`access.readPurposes`, else the default). */
  readPurposes: readonly string[];
  /** Whether a negative event of `category` counts on the score at once (`negativeEvents: "direct"`). */
  countsDirectly(category: string): boolean;
  /** Whether a service may check `action` by digital ID (`eligibility.digitalIdChecks`; every action without it). */
  digitalIdChecks(action: string): boolean;
  /** How long a subject of `kind` is kept after an erasure request or a closure (`retention`). */
  retention(kind: string): RetentionDays;
  /** What holds an erasure besides a preservation order (`retention.blockedBy`). */
  erasureBlockers: readonly ErasureBlocker[];
}

export interface RetentionDays {
  afterRequestDays: number;
  afterClosureDays: number;
}

/** The retention of a policy that says none: 30 days, and both blockers. */
export const defaultRetention: RetentionDays = { afterRequestDays: 30, afterClosureDays: 30 };

/** The read purposes of a policy that lists none. */
export const defaultReadPurposes: readonly string[] = ['enrolment_check', 'correction', 'support', 'audit'];

const checkDocument: (value: unknown, prefix: string) => asserts value is PolicyDocument =
  compileCheck(PolicyDocument);

/** Validates a parsed policy file; errors name the key, e.g. `strikes.ladder.2.days`. */
export function parsePolicy(value: unknown): Policy {
  checkDocument(value, '');
  const document = value;
  const categories = Object.entries(document.categories);
  const maxSeverity = Math.max(...categories.map(([, c]) => c.maxSeverity));
  for (let severity = 1; severity <= maxSeverity; severity++) {
    if (document.strikes.perSeverity[String(severity)] === undefined) {
      throw new ValidationError(
        `strikes.perSeverity.${severity}`,
        'is missing: some category has this severity',
      );
    }
  }
  const ladder = [...document.strikes.ladder];
  ladder.forEach((step, i) => {
    if (i > 0 && step.atStrikes <= ladder[i - 1]!.atStrikes) {
      throw new ValidationError(`strikes.ladder.${i}.atStrikes`, 'must be greater than the step before');
    }
    if ((step.sanction === 'suspension') !== (step.days !== undefined)) {
      throw new ValidationError(`strikes.ladder.${i}.days`, 'is required for a suspension and only for one');
    }
  });
  checkCredit(document);
  const rules = disclosureRules(document);
  const grades = document.credit.grades;
  return {
    document,
    digest: createHash('sha256').update(canonicalJson(document)).digest('hex'),
    category: (name) => (Object.hasOwn(document.categories, name) ? document.categories[name] : undefined),
    strikesFor: (severity) => document.strikes.perSeverity[String(severity)] ?? 0,
    ladderStepCrossed: (before, after) =>
      ladder.findLast((step) => step.atStrikes > before && step.atStrikes <= after),
    isAction: (name) => Object.hasOwn(document.actions, name),
    gradeOf: (score) => grades.find((band) => score >= band.min)?.grade ?? grades.at(-1)!.grade,
    disclosureRule: (name) => rules.get(name),
    readPurposes: document.access?.readPurposes ?? defaultReadPurposes,
    countsDirectly: (name) =>
      Object.hasOwn(document.categories, name) && document.categories[name]!.negativeEvents === 'direct',
    digitalIdChecks: digitalIdChecksOf(document),
    retention: (kind) => {
      const retention = document.retention as Record<string, RetentionDays> | undefined;
      return retention !== undefined && Object.hasOwn(retention, kind) ? retention[kind]! : defaultRetention;
    },
    erasureBlockers: document.retention?.blockedBy ?? erasureBlockers,
  };
}

/**
 * Which actions services may check by digital ID: those listed, `category.*` for a category's,
 * `*` for all; every action when the policy says nothing (as before pseudonyms per service). An
 * entry that names no action is an error, not a silent no-op.
 */
function digitalIdChecksOf(document: PolicyDocument): (action: string) => boolean {
  const listed = document.eligibility?.digitalIdChecks;
  if (listed === undefined || listed.includes('*')) return () => true;
  const actions = Object.keys(document.actions);
  const allowed = new Set<string>();
  listed.forEach((entry, i) => {
    const matches = entry.endsWith('.*')
      ? actions.filter((a) => a.startsWith(entry.slice(0, -1)))
      : actions.filter((a) => a === entry);
    if (matches.length === 0) {
      throw new ValidationError(
        `eligibility.digitalIdChecks.${i}`,
        `"${entry}" names no action of the policy`,
      );
    }
    for (const action of matches) allowed.add(action);
  });
  return (action) => allowed.has(action);
}

// The rules of the credit model that a schema cannot say: points match severities and polarity,
// dimensions exist, and the grade bands tile the range from floor to ceiling exactly.
function checkCredit(document: PolicyDocument): void {
  const { credit } = document;
  for (const [name, category] of Object.entries(document.categories)) {
    if (category.points.length !== category.maxSeverity) {
      throw new ValidationError(
        `categories.${name}.points`,
        `must give one value per severity (${category.maxSeverity})`,
      );
    }
    const wrongSign = category.points.find((p) => (category.polarity === 'negative' ? p > 0 : p < 0));
    if (wrongSign !== undefined) {
      throw new ValidationError(
        `categories.${name}.points`,
        `${wrongSign} has the wrong sign for ${category.polarity} conduct`,
      );
    }
    if (category.negativeEvents !== undefined && category.polarity !== 'negative') {
      throw new ValidationError(`categories.${name}.negativeEvents`, 'is for negative conduct only');
    }
    if (!Object.hasOwn(credit.dimensions, category.dimension)) {
      throw new ValidationError(
        `categories.${name}.dimension`,
        `"${category.dimension}" is not a credit dimension`,
      );
    }
  }
  if (!Object.hasOwn(credit.dimensions, credit.sanctionDimension)) {
    throw new ValidationError(
      'credit.sanctionDimension',
      `"${credit.sanctionDimension}" is not a credit dimension`,
    );
  }
  if (!(credit.floor <= credit.base && credit.base <= credit.ceiling)) {
    throw new ValidationError('credit.base', 'must lie between floor and ceiling');
  }
  const { grades } = credit;
  grades.forEach((band, i) => {
    if (band.min > band.max) throw new ValidationError(`credit.grades.${i}`, 'min is above max');
    const above = grades[i - 1];
    if (i === 0 && band.max !== credit.ceiling)
      throw new ValidationError('credit.grades.0.max', 'must be the ceiling');
    if (above !== undefined && band.max !== above.min - 1) {
      throw new ValidationError(
        `credit.grades.${i}.max`,
        band.max >= above.min ? `overlaps grade ${above.grade}` : `leaves a gap below grade ${above.grade}`,
      );
    }
    if (grades.findIndex((other) => other.grade === band.grade) !== i) {
      throw new ValidationError(`credit.grades.${i}.grade`, `"${band.grade}" is listed twice`);
    }
  });
  if (grades.at(-1)!.min !== credit.floor) {
    throw new ValidationError(`credit.grades.${grades.length - 1}.min`, 'must be the floor');
  }
  for (const [name, action] of Object.entries(document.actions)) {
    const unknown = action.deniedAtGrades.find((g) => !grades.some((band) => band.grade === g));
    if (unknown !== undefined)
      throw new ValidationError(`actions.${name}.deniedAtGrades`, `"${unknown}" is not a grade`);
  }
}

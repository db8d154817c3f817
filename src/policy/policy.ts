import { createHash } from 'node:crypto';
import Type from 'typebox';
import { ValidationError } from '../errors.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { compileCheck, StringEnum } from '../util/validation.ts';

export const sanctionKinds = ['warning', 'mute', 'suspension', 'ban', 'restriction'] as const;
export type SanctionKind = (typeof sanctionKinds)[number];

/** Sanctions that hold in one world only; a ban holds in every world, a restriction everywhere. */
export const worldScopedKinds: readonly SanctionKind[] = ['mute', 'suspension'];

const strict = { additionalProperties: false } as const;
const key = '^[a-z][a-z0-9_]{1,39}$';
const days = Type.Integer({ minimum: 1, maximum: 36500 });

const Category = Type.Object(
  {
    polarity: StringEnum(['negative', 'positive']),
    maxSeverity: Type.Integer({ minimum: 1, maximum: 10, description: 'severities run from 1 to this' }),
    description: Type.String({ minLength: 1, maxLength: 300 }),
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
      Type.String({ pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' }),
      Type.Object(
        {
          description: Type.String({ minLength: 1, maxLength: 300 }),
          deniedBy: Type.Array(StringEnum(['ban', 'suspension', 'mute']), { uniqueItems: true }),
        },
        strict,
      ),
      { ...strict, minProperties: 1 },
    ),
    appeals: Type.Object({ windowDays: days }, strict),
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
}

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
  return {
    document,
    digest: createHash('sha256').update(canonicalJson(document)).digest('hex'),
    category: (name) => (Object.hasOwn(document.categories, name) ? document.categories[name] : undefined),
    strikesFor: (severity) => document.strikes.perSeverity[String(severity)] ?? 0,
    ladderStepCrossed: (before, after) =>
      ladder.findLast((step) => step.atStrikes > before && step.atStrikes <= after),
    isAction: (name) => Object.hasOwn(document.actions, name),
  };
}

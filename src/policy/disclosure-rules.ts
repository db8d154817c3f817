import Type, { type Static } from 'typebox';
import { type LegalBasisKind, legalBasisKinds } from '../api/words.ts';
import { ValidationError } from '../errors.ts';
import { type AttributeGroup, attributeGroups } from '../identity/attributes.ts';
import { StringEnum } from '../util/validation.ts';

const strict = { additionalProperties: false } as const;

export { type LegalBasisKind, legalBasisKinds } from '../api/words.ts';

// Only `allowed` is always given: the rest says how, and so belongs to disclosable categories only
// (parsePolicy checks that).
export const DisclosureSchema = Type.Object(
  {
    allowed: Type.Boolean({ description: 'whether disclosure of identity may follow this conduct' }),
    legalBases: Type.Optional(
      Type.Array(StringEnum(legalBasisKinds), {
        minItems: 1,
        uniqueItems: true,
        description: 'any one suffices',
      }),
    ),
    oversight: Type.Optional(StringEnum(['required', 'not_required'])),
    gagDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3650, description: 'days before the subject is told' }),
    ),
    scope: Type.Optional(
      Type.Array(StringEnum(attributeGroups), {
        minItems: 1,
        uniqueItems: true,
        description: 'the attribute groups that may be disclosed',
      }),
    ),
    requiresCase: Type.Optional(
      Type.Boolean({
        description:
          'whether a request must name a case about its target in this category (default true); without one, only a warrant or court order suffices, and oversight always decides',
      }),
    ),
  },
  strict,
);

/** How disclosure may follow one category of conduct: present only where it may. */
export interface DisclosureRule {
  legalBases: readonly LegalBasisKind[];
  oversight: 'required' | 'not_required';
  gagDays: number;
  scope: readonly AttributeGroup[];
  /** A request names a case of this category about its target; `requiresCase` in the policy, default true. */
  requiresCase: boolean;
}

/** The only bases that suffice for a request that names no case: a judge has seen the evidence. */
export const caselessBases: readonly LegalBasisKind[] = ['warrant', 'court_order'];

/** What the rules read of a policy document: each category's polarity and disclosure part. */
export interface DisclosureCategories {
  categories: Record<string, { polarity: string; disclosure: Static<typeof DisclosureSchema> }>;
}

// A disclosable category says how, completely; one that is not says nothing more. Emergency is
// a promise of review after the fact, so it is refused where no oversight reviews. A category
// that may go without a case must allow a basis that suffices without one.
export function disclosureRules(document: DisclosureCategories): Map<string, DisclosureRule> {
  const rules = new Map<string, DisclosureRule>();
  for (const [name, category] of Object.entries(document.categories)) {
    const { allowed, ...how } = category.disclosure;
    const at = `categories.${name}.disclosure`;
    if (!allowed) {
      const extra = Object.keys(how)[0];
      if (extra !== undefined)
        throw new ValidationError(`${at}.${extra}`, 'applies only where disclosure is allowed');
      continue;
    }
    if (category.polarity === 'positive') {
      throw new ValidationError(`${at}.allowed`, 'disclosure cannot follow positive conduct');
    }
    for (const key of ['legalBases', 'oversight', 'gagDays', 'scope'] as const) {
      if (how[key] === undefined)
        throw new ValidationError(`${at}.${key}`, 'is required where disclosure is allowed');
    }
    const rule = { ...how, requiresCase: how.requiresCase ?? true } as DisclosureRule;
    if (rule.legalBases.includes('emergency') && rule.oversight !== 'required') {
      throw new ValidationError(
        `${at}.legalBases`,
        'emergency needs oversight "required": an emergency disclosure is reviewed after the fact',
      );
    }
    if (!rule.requiresCase && !rule.legalBases.some((kind) => caselessBases.includes(kind))) {
      throw new ValidationError(
        `${at}.requiresCase`,
        'false needs a warrant or court_order among legalBases: only those suffice without a case',
      );
    }
    rules.set(name, rule);
  }
  return rules;
}

import type { SanctionRequest } from '../conduct/decision-service.ts';
import type { SubjectKind } from '../identity/attributes.ts';
import type { Policy } from '../policy/policy.ts';
import type { Random } from './random.ts';

/** What kind of conduct each kind of subject shows, by polarity, weighted by how common it is. */
type Mix = readonly (readonly [string, number])[];

const personPositive: Mix = [
  ['honest_trade', 55],
  ['helping_others', 35],
  ['volunteering', 10],
];
const personNegative: Mix = [
  ['spam', 15],
  ['cheating', 22],
  ['disruption', 22],
  ['harassment', 16],
  ['spreading_rumors', 10],
  ['hate_speech', 6],
  ['fraud', 6],
  ['identity_theft', 3],
];
const organisationPositive: Mix = [
  ['honest_trade', 85],
  ['helping_others', 10],
  ['volunteering', 5],
];
const organisationNegative: Mix = [
  ['spam', 60],
  ['fraud', 35],
  ['spreading_rumors', 5],
];

/** Share of conduct events that are negative. */
export const negativeShare = 0.12;

/** The categories of the policy in force, with the mixes above (or all of a polarity when none match). */
export class ConductMix {
  readonly #policy: Policy;
  readonly #mixes: Record<'person' | 'organisation', { positive: Mix; negative: Mix }>;

  constructor(policy: Policy) {
    this.#policy = policy;
    this.#mixes = {
      person: {
        positive: this.#fit(personPositive, 'positive'),
        negative: this.#fit(personNegative, 'negative'),
      },
      organisation: {
        positive: this.#fit(organisationPositive, 'positive'),
        negative: this.#fit(organisationNegative, 'negative'),
      },
    };
  }

  /** A category and severity for conduct of `polarity` by a subject of `kind`. */
  draw(
    rng: Random,
    kind: SubjectKind,
    polarity: 'positive' | 'negative',
  ): { category: string; severity: number } {
    const mix = this.#mixes[kind === 'person' ? 'person' : 'organisation'][polarity];
    const category = rng.weighted(mix);
    const maxSeverity = this.#policy.category(category)?.maxSeverity ?? 1;
    // Most conduct is minor: each severity a third to a half as likely as the one below it.
    const ladder = polarity === 'positive' ? [70, 25, 5] : [55, 27, 12, 5, 1];
    const severity = rng.weighted(ladder.slice(0, maxSeverity).map((w, i) => [i + 1, w] as const));
    return { category, severity };
  }

  /** Whether this policy has conduct of the polarity at all (a policy may list negative only). */
  has(polarity: 'positive' | 'negative'): boolean {
    return this.#mixes.person[polarity].length > 0;
  }

  #fit(mix: Mix, polarity: 'positive' | 'negative'): Mix {
    const known = mix.filter(([name]) => this.#policy.category(name)?.polarity === polarity);
    if (known.length > 0) return known;
    return Object.entries(this.#policy.document.categories)
      .filter(([, c]) => c.polarity === polarity)
      .map(([name]) => [name, 1] as const);
  }
}

/**
 * The sanctions a moderator adds to an upheld decision, beyond the strike ladder's: mutes for
 * abuse and spam, restrictions on credit for fraud and on air travel for rumours (the Tom example),
 * warnings for minor first offences.
 */
export function chooseSanctions(
  rng: Random,
  policy: Policy,
  category: string,
  severity: number,
): SanctionRequest[] {
  const restriction = (actions: string[], days: number): SanctionRequest[] => {
    const known = actions.filter((a) => policy.isAction(a));
    return known.length === 0 ? [] : [{ kind: 'restriction', actions: known, days }];
  };
  if ((category === 'harassment' || category === 'hate_speech') && rng.chance(0.5)) {
    return [{ kind: 'mute', days: rng.pick([7, 14, 30]) }];
  }
  if (category === 'spam' && rng.chance(0.3)) return [{ kind: 'mute', days: 3 }];
  if ((category === 'fraud' || category === 'identity_theft') && severity >= 3 && rng.chance(0.6)) {
    return restriction(['finance.credit'], rng.pick([90, 180, 365]));
  }
  if (category === 'spreading_rumors' && severity >= 2 && rng.chance(0.4)) {
    return restriction(['travel.air'], rng.pick([30, 60, 90]));
  }
  if (severity === 1 && rng.chance(0.4)) return [{ kind: 'warning' }];
  return [];
}

const descriptions: Record<string, readonly string[]> = {
  harassment: ['Kept following me around the plaza sending insults', 'Threatening messages after a match'],
  fraud: ['Took payment for a land parcel and never transferred it', 'Sold a counterfeit wearable'],
  identity_theft: ['Is using my display name and avatar skin to scam my friends'],
  spreading_rumors: ['Telling everyone the event was cancelled and the organisers ran off with the money'],
  disruption: ['Spawned objects to block the stage during the concert', 'Griefing the build area again'],
  hate_speech: ['Slurs in voice chat aimed at other players'],
  cheating: ['Moves faster than possible, looks like a modified client', 'Botting the resource nodes'],
  spam: ['Flooding the market channel with the same advert', 'Mass invites to an external shop'],
};

/** What a reporter writes: a short description for the category. */
export function reportText(rng: Random, category: string): string {
  return rng.pick(descriptions[category] ?? ['Broke the rules of this world']);
}

export function rationaleText(rng: Random, outcome: 'upheld' | 'dismissed'): string {
  return outcome === 'upheld'
    ? rng.pick(['Confirmed by the logs and the reports', 'Evidence is consistent across reporters'])
    : rng.pick(['No evidence of a breach', 'Reports describe a misunderstanding, not a breach']);
}

export const appealTexts = {
  reason: ['I was not the one at the keyboard', 'The severity is out of proportion', 'Context was missing'],
  upheld: ['The decision stands on the evidence'],
  overturned: ['New evidence shows the account was compromised', 'The reports were coordinated'],
} as const;

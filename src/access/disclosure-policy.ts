import { CaseRequiredError, PolicyRefusedError, ValidationError } from '../errors.ts';
import type { AttributeGroup } from '../identity/attributes.ts';
import { caselessBases, type LegalBasisKind } from '../policy/disclosure-rules.ts';
import type { Policy } from '../policy/policy.ts';
import { dayMs, hourMs, isoAfter } from '../util/time.ts';

/** Why the policy refused a request: the `reason` of a 422 and of its log entry. */
export type RefusalReason =
  | 'offence_not_disclosable'
  | 'legal_basis_insufficient'
  | 'scope_beyond_policy'
  | 'legal_basis_expired';

/** A request the policy refuses: 422 `refused_by_policy`, with the reason. */
export class DisclosureRefusedError extends PolicyRefusedError {
  constructor(reason: RefusalReason, message: string) {
    super('refused_by_policy', message, { reason });
  }
}

/** What the policy is asked about a request: everything but its texts and its target. */
export interface DisclosureAsk {
  offence: string;
  scope: readonly AttributeGroup[];
  basisKind: LegalBasisKind;
  basisExpiresAt: string;
  /** Whether the request names a case (whether it is the right one is checked against the store). */
  withCase: boolean;
}

/** An accepted request: whether it is granted at once, and its deadlines. */
export interface Assessment {
  /** `emergency` and `oversight_not_required` grant at once; `oversight` waits for a decision. */
  grant: 'emergency' | 'oversight_not_required' | 'oversight';
  gagUntil: string;
  /** Emergency only: when oversight must have reviewed it. */
  reviewDueAt: string | undefined;
}

/**
 * Decides a request from the policy alone, never from its target, so that the answer cannot tell
 * whether the target exists. Throws DisclosureRefusedError when the policy refuses it, a
 * ValidationError for an offence the policy does not know at all, and a CaseRequiredError when
 * the offence's category requires a case and the request names none. Without a case (where the
 * category allows that) only a warrant or court order suffices, and oversight always decides.
 */
export function assessRequest(policy: Policy, ask: DisclosureAsk, now: Date): Assessment {
  if (policy.category(ask.offence) === undefined) {
    throw new ValidationError('offence', `"${ask.offence}" is not a conduct category of the policy`);
  }
  const rule = policy.disclosureRule(ask.offence);
  if (rule === undefined) {
    throw new DisclosureRefusedError(
      'offence_not_disclosable',
      `the policy does not allow disclosure for ${ask.offence}`,
    );
  }
  if (!rule.legalBases.includes(ask.basisKind)) {
    throw new DisclosureRefusedError(
      'legal_basis_insufficient',
      `a ${ask.basisKind} does not suffice for ${ask.offence}: it takes one of ${rule.legalBases.join(', ')}`,
    );
  }
  if (!ask.withCase && !rule.requiresCase && !caselessBases.includes(ask.basisKind)) {
    throw new DisclosureRefusedError(
      'legal_basis_insufficient',
      `without a case, only a ${caselessBases.join(' or ')} suffices for ${ask.offence}`,
    );
  }
  const beyond = ask.scope.filter((group) => !rule.scope.includes(group));
  if (beyond.length > 0) {
    throw new DisclosureRefusedError(
      'scope_beyond_policy',
      `${beyond.join(', ')} may not be disclosed for ${ask.offence}: only ${rule.scope.join(', ')}`,
    );
  }
  if (basisExpired(ask.basisExpiresAt, now)) {
    throw new DisclosureRefusedError('legal_basis_expired', 'the legal basis has expired');
  }
  // Not a refusal by policy but a request that is incomplete: nothing is written, not even a log entry.
  if (!ask.withCase && rule.requiresCase) throw new CaseRequiredError(ask.offence);
  const emergency = ask.basisKind === 'emergency';
  const reviewHours = policy.document.disclosure.emergencyReviewHours;
  // Without a case, no one but oversight has looked at the matter: it always decides.
  const oversight = rule.oversight === 'required' || !ask.withCase;
  return {
    grant: emergency ? 'emergency' : oversight ? 'oversight' : 'oversight_not_required',
    gagUntil: isoAfter(now, rule.gagDays * dayMs),
    reviewDueAt: emergency ? isoAfter(now, reviewHours * hourMs) : undefined,
  };
}

/** Whether a legal basis no longer holds at `now`. */
export function basisExpired(expiresAt: string, now: Date): boolean {
  return Date.parse(expiresAt) <= now.getTime();
}

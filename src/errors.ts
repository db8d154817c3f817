/**
 * Domain errors: one class per condition, carrying its context, with a stable machine code for
 * the API; http/error-handler.ts maps the classes to statuses in one table. `details` holds extra
 * fields that are safe to show the caller (they go into the error body); context that is not
 * (a subject's id, say) is kept in the error's own fields.
 */

import type { AppealKind } from './api/appeals.ts';

/** Every machine code a domain error carries, named once. */
export type ErrorCode =
  // 400
  | 'invalid_request'
  | 'malformed_id'
  | 'batch_rejected'
  // 401, 403
  | 'unauthenticated'
  | 'forbidden'
  | 'own_decision'
  // 404
  | 'subject_not_found'
  | 'avatar_not_found'
  | 'world_not_found'
  | 'case_not_found'
  | 'sanction_not_found'
  | 'disclosure_not_found'
  | 'subscription_not_found'
  | 'principal_not_found'
  | 'appeal_not_found'
  // 409
  | 'duplicate_identity'
  | 'avatar_bound'
  | 'world_exists'
  | 'case_not_open'
  | 'already_appealed'
  | 'not_appealable'
  | 'no_pending_appeal'
  | 'sanction_not_active'
  | 'subscription_revoked'
  | 'disclosure_decided'
  | 'already_revoked'
  | 'store_not_empty'
  // 422
  | 'refused_by_policy'
  | 'appeal_window_closed'
  | 'reporter_not_bound'
  | 'self_report'
  | 'appeal_window_expired'
  // 429
  | 'rate_limited'
  // people's sign-in and the OpenID Provider
  | 'invalid_activation_code'
  | 'passkey_refused'
  | 'session_expired'
  | 'csrf_refused'
  | 'passkey_not_found'
  | 'passkey_exists'
  | 'last_passkey'
  | 'session_not_found'
  | 'interaction_not_found'
  | 'raw_binding_closed'
  // credentials (issue 16): the OAuth and OpenID4VCI protocols' own codes
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'invalid_token'
  | 'status_list_not_found'
  // start-up and CLI only
  | 'invalid_policy'
  | 'policy_unknown'
  // logged reads (400)
  | 'purpose_required'
  | 'unknown_purpose'
  // two admins for the overseeing roles (issue 13)
  | 'own_proposal'
  | 'proposal_not_found'
  | 'proposal_closed'
  | 'second_admin_required'
  // lawful access rests on a case (issue 13), all 422
  | 'case_required'
  | 'case_not_about_target'
  | 'case_category_mismatch'
  | 'review_overdue'
  // 404, appeals of a credit contribution
  | 'contribution_not_found'
  // the person's lock of its identity (issue 15)
  | 'identity_locked'
  | 'identity_not_locked'
  | 'passkey_required'
  // the person's corrections of its own attributes (issue 15)
  | 'correction_not_found'
  | 'not_correctable'
  | 'correction_unchanged'
  | 'correction_pending'
  | 'correction_closed'
  // pseudonyms per service (issue 16)
  | 'digital_id_not_allowed'
  | 'pseudonym_not_found'
  // 404, key rotation: no stored checkpoint covers the entry asked about (yet)
  | 'checkpoint_not_found'
  // 413, the person's export (issue 15)
  | 'export_too_large'
  // erasure and preservation (issue 15): 410, 409, 422, 404, 409
  | 'erased'
  | 'erasure_blocked'
  | 'legal_basis_required'
  | 'preservation_not_found'
  | 'preservation_extended'
  | 'preservation_lapsed'
  // 403, the credential endpoint: an OP access token without a credential's scope (RFC 6750)
  | 'insufficient_scope'
  // a service maps a credential presentation to its pseudonym (issue 16): 409, 422, 422, 404
  | 'credential_revoked'
  | 'presentation_invalid'
  | 'key_binding_audience'
  | 'credential_not_found';

export class MdisError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** An error as a batch answers it for one of its items: code, message, and the field it names. */
export function itemError(error: MdisError): { error: string; message: string; field?: string } {
  const field = error.details.field;
  return { error: error.code, message: error.message, ...(typeof field === 'string' ? { field } : {}) };
}

/** One field's problem, as a 400 that checked every field lists them in `fields`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Input that breaks a rule; `field` names where, as a dotted path (`natural.birthDate`). */
export class ValidationError extends MdisError {
  /** The rule broken, without the field. */
  readonly rule: string;

  constructor(field: string, rule: string, fields?: readonly FieldProblem[]) {
    super('invalid_request', `${field}: ${rule}`, fields === undefined ? { field } : { field, fields });
    this.rule = rule;
  }

  /**
   * Every field's problem in one error: `field` and `message` are the first's (what a client that
   * reads one field shows), `fields` lists them all, the first included. `problems` is not empty.
   */
  static every(problems: readonly ValidationError[]): ValidationError {
    const [first] = problems;
    if (first === undefined) throw new RangeError('ValidationError.every needs a problem');
    const fields = problems.map((p) => ({ field: String(p.details.field), message: p.message }));
    return new ValidationError(String(first.details.field), first.rule, fields);
  }

  /** The same error for a field nested under `prefix` (`sanctions.1` + `actions`). */
  within(prefix: string): ValidationError {
    return new ValidationError(`${prefix}.${this.details.field}`, this.rule);
  }
}

export class MalformedIdError extends MdisError {
  constructor(field: string, what: string) {
    super('malformed_id', `${field} is not a well-formed ${what}`, { field });
  }
}

/** The base of every 404: something named by the request does not exist (or is not the caller's). */
export class NotFoundError extends MdisError {}

/** The base of every 409: the request clashes with the state it found. */
export class ConflictError extends MdisError {}

export class DuplicateIdentityError extends ConflictError {
  constructor(existingId: string) {
    super('duplicate_identity', 'this identity document is already enrolled', { existingId });
  }
}

export class UnauthenticatedError extends MdisError {
  constructor(message = 'a valid bearer token is required') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends MdisError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A moderator or oversight principal asked to decide the appeal of its own decision. */
export class OwnDecisionError extends MdisError {
  readonly target: string;

  constructor(target: string) {
    super('own_decision', 'the appeal of a decision goes to someone other than who made it');
    this.target = target;
  }
}

export class RateLimitedError extends MdisError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', `too many requests; retry after ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** Well-formed, but the policy does not allow it (an appeal after its window, say). */
export class PolicyRefusedError extends MdisError {}

// 404: one class per thing that can be missing.

export class SubjectNotFoundError extends NotFoundError {
  /** Not in the message: the caller named it, and a log line should not. */
  readonly subject: string;

  constructor(subject: string) {
    super('subject_not_found', 'no subject has this id');
    this.subject = subject;
  }
}

export class AvatarNotFoundError extends NotFoundError {
  readonly world: string;
  readonly handle: string;

  constructor(world: string, handle: string) {
    super('avatar_not_found', `no avatar "${handle}" in world "${world}"`);
    this.world = world;
    this.handle = handle;
  }
}

export class WorldNotFoundError extends NotFoundError {
  readonly world: string;

  constructor(world: string) {
    super('world_not_found', `world "${world}" does not exist`);
    this.world = world;
  }
}

export class CaseNotFoundError extends NotFoundError {
  readonly caseId: string;

  constructor(caseId: string) {
    super('case_not_found', `no case has id "${caseId}"`);
    this.caseId = caseId;
  }
}

export class SanctionNotFoundError extends NotFoundError {
  readonly sanctionId: string;

  constructor(sanctionId: string) {
    super('sanction_not_found', `no sanction has id "${sanctionId}"`);
    this.sanctionId = sanctionId;
  }
}

export class DisclosureNotFoundError extends NotFoundError {
  readonly disclosureId: string;

  constructor(disclosureId: string) {
    super('disclosure_not_found', `no disclosure has id "${disclosureId}"`);
    this.disclosureId = disclosureId;
  }
}

export class SubscriptionNotFoundError extends NotFoundError {
  readonly world: string;
  readonly subscriptionId: string;

  constructor(world: string, subscriptionId: string) {
    super('subscription_not_found', `world "${world}" has no subscription "${subscriptionId}"`);
    this.world = world;
    this.subscriptionId = subscriptionId;
  }
}

export class PrincipalNotFoundError extends NotFoundError {
  readonly principalId: string;

  constructor(principalId: string) {
    super('principal_not_found', `no principal has id "${principalId}"`);
    this.principalId = principalId;
  }
}

// 409: one class per clash.

export class AvatarBoundError extends ConflictError {
  readonly handle: string;

  constructor(handle: string) {
    super('avatar_bound', `handle "${handle}" is bound to another subject`);
    this.handle = handle;
  }
}

export class WorldExistsError extends ConflictError {
  readonly world: string;

  constructor(world: string) {
    super('world_exists', `world "${world}" already exists`);
    this.world = world;
  }
}

/** A decision asked of a case that is no longer open (`status` is what it is now). */
export class CaseNotOpenError extends ConflictError {
  readonly caseId: string;
  readonly status: string;

  constructor(caseId: string, status: string) {
    super('case_not_open', `case "${caseId}" is already ${status}`);
    this.caseId = caseId;
    this.status = status;
  }
}

export class AlreadyAppealedError extends ConflictError {
  readonly caseId: string;

  constructor(caseId: string) {
    super('already_appealed', 'this decision was already appealed');
    this.caseId = caseId;
  }
}

export class NotAppealableError extends ConflictError {
  readonly caseId: string;

  /** `caseId`: the target (a case, sanction or disclosure id); `why` what makes it not appealable. */
  constructor(caseId: string, why = 'only an upheld decision can be appealed') {
    super('not_appealable', why);
    this.caseId = caseId;
  }
}

export class AppealNotFoundError extends NotFoundError {
  readonly appealId: string;

  constructor(appealId: string) {
    super('appeal_not_found', 'no such appeal');
    this.appealId = appealId;
  }
}

/** What each kind of appeal target is called in a message. */
const appealKindNames: Record<AppealKind, string> = {
  case: 'case',
  sanction: 'sanction',
  disclosure: 'disclosure',
  contribution: 'credit contribution',
};

export class NoPendingAppealError extends ConflictError {
  readonly caseId: string;
  readonly kind: AppealKind;

  /** `caseId`: the target (a case, sanction, disclosure or contribution id); `kind` what it is. */
  constructor(caseId: string, kind: AppealKind = 'case') {
    super('no_pending_appeal', `this ${appealKindNames[kind]} has no pending appeal`);
    this.caseId = caseId;
    this.kind = kind;
  }
}

/** A lift of a sanction that has ended: `status` when it was found ended, none when it ended meanwhile. */
export class SanctionNotActiveError extends ConflictError {
  readonly sanctionId: string;
  readonly status: string | undefined;

  constructor(sanctionId: string, status?: string) {
    super(
      'sanction_not_active',
      status === undefined
        ? `sanction "${sanctionId}" was ended meanwhile`
        : `sanction "${sanctionId}" is already ${status}`,
    );
    this.sanctionId = sanctionId;
    this.status = status;
  }
}

export class SubscriptionRevokedError extends ConflictError {
  readonly subscriptionId: string;

  constructor(subscriptionId: string) {
    super('subscription_revoked', `subscription "${subscriptionId}" is already revoked`);
    this.subscriptionId = subscriptionId;
  }
}

/** A verdict on a disclosure already decided; `state` says how (`is already granted and reviewed`). */
export class DisclosureDecidedError extends ConflictError {
  readonly disclosureId: string;

  constructor(disclosureId: string, state: string) {
    super('disclosure_decided', `disclosure "${disclosureId}" ${state}`);
    this.disclosureId = disclosureId;
  }
}

export class PrincipalRevokedError extends ConflictError {
  readonly principalId: string;

  constructor(principalId: string) {
    super('already_revoked', `principal "${principalId}" is already revoked`);
    this.principalId = principalId;
  }
}

// 422

export class AppealWindowClosedError extends PolicyRefusedError {
  readonly windowDays: number;

  constructor(windowDays: number) {
    super('appeal_window_closed', `appeals close ${windowDays} days after the decision`);
    this.windowDays = windowDays;
  }
}

/** The appeal pipeline's word for a closed window (`POST /v1/appeals`); the case route keeps its own. */
export class AppealWindowExpiredError extends PolicyRefusedError {
  readonly windowDays: number;

  constructor(windowDays: number, since: string) {
    super('appeal_window_expired', `appeals close ${windowDays} days after ${since}`, { windowDays });
    this.windowDays = windowDays;
  }
}

/** An identification asked under a disclosure that is not (or no longer) granted. */
export class SelfReportError extends PolicyRefusedError {
  constructor(handle: string) {
    super('self_report', `avatar "${handle}" cannot report itself`);
  }
}

/** A report names as its reporter a handle that no one holds in that world. */
export class ReporterNotBoundError extends PolicyRefusedError {
  constructor(world: string, reporter: string) {
    super('reporter_not_bound', `the reporter "${reporter}" is not an avatar bound in world "${world}"`);
  }
}

export class DisclosureNotGrantedError extends PolicyRefusedError {
  readonly disclosureId: string;

  constructor(disclosureId: string) {
    super('refused_by_policy', `disclosure "${disclosureId}" is not granted`, { reason: 'not_granted' });
    this.disclosureId = disclosureId;
  }
}

// Start-up and CLI

/** `mdis simulate` into a store that already holds subjects or worlds. */
export class StoreNotEmptyError extends ConflictError {
  readonly location: string;

  constructor(location: string) {
    super(
      'store_not_empty',
      `the store at ${location} already holds subjects or worlds; simulate into an empty one`,
    );
    this.location = location;
  }
}

/** The policy in force was recorded without its text, and the configured policy is another. */
export class PolicyUnknownError extends MdisError {
  readonly digest: string;

  constructor(name: string, digest: string) {
    super(
      'policy_unknown',
      `the policy in force ("${name}", digest ${digest}) was recorded before the store kept policies' text: set MDIS_POLICY to its file, or start mdis serve under it once`,
    );
    this.digest = digest;
  }
}

// Logged reads (400): a staff read of a profile names a purpose of the policy.

/** A read of a decrypted profile that names no purpose. */
export class PurposeRequiredError extends MdisError {
  constructor(purposes: readonly string[]) {
    super('purpose_required', `purpose: name why you read this profile, one of ${purposes.join(', ')}`, {
      field: 'purpose',
      purposes,
    });
  }
}

/** A read of a decrypted profile that names a purpose the policy does not list. */
export class UnknownPurposeError extends MdisError {
  constructor(purposes: readonly string[]) {
    super('unknown_purpose', `purpose: is not a read purpose of the policy (${purposes.join(', ')})`, {
      field: 'purpose',
      purposes,
    });
  }
}

// Two admins for the overseeing roles (issue 13)

/** An admin asked to approve or refuse its own proposal: it takes another admin. */
export class OwnProposalError extends MdisError {
  readonly proposalId: string;

  constructor(proposalId: string) {
    super('own_proposal', 'a proposal is approved or refused by an admin other than who proposed it');
    this.proposalId = proposalId;
  }
}

export class ProposalNotFoundError extends NotFoundError {
  readonly proposalId: string;

  constructor(proposalId: string) {
    super('proposal_not_found', `no principal proposal has id "${proposalId}"`);
    this.proposalId = proposalId;
  }
}

/** A decision asked of a proposal that is no longer pending; `state` says why (`expired at ...`). */
export class ProposalClosedError extends ConflictError {
  readonly proposalId: string;

  constructor(proposalId: string, state: string) {
    super('proposal_closed', `proposal "${proposalId}" ${state}`, { state });
    this.proposalId = proposalId;
  }
}

/**
 * A proposal no other admin could approve: the one live admin is the proposer. The second admin
 * comes from the operator's machine (`mdis admin principal create --role admin`, break-glass).
 */
export class SecondAdminRequiredError extends ConflictError {
  constructor() {
    super(
      'second_admin_required',
      'only one admin exists, so no one could approve this proposal: create a second admin on the operator’s machine with `mdis admin principal create --role admin` (a break-glass action, logged as such), then propose again',
    );
  }
}

// 422: lawful access rests on a case (issue 13).

/** A disclosure request names no case where its offence's category requires one. */
export class CaseRequiredError extends PolicyRefusedError {
  constructor(offence: string) {
    super(
      'case_required',
      `A disclosure for ${offence.replaceAll('_', ' ')} must name the case it concerns.`,
      {
        field: 'case',
      },
    );
  }
}

/**
 * A disclosure request names a case that is not about its target. An unknown case answers the
 * same: an authority cannot use requests to learn which cases exist.
 */
export class CaseNotAboutTargetError extends PolicyRefusedError {
  readonly caseId: string;

  constructor(caseId: string) {
    super('case_not_about_target', `case "${caseId}" is not a case about this target`, { field: 'case' });
    this.caseId = caseId;
  }
}

/** A disclosure request names a case about its target, but of another category than its offence. */
export class CaseCategoryMismatchError extends PolicyRefusedError {
  readonly caseId: string;

  constructor(caseId: string, offence: string) {
    super('case_category_mismatch', `case "${caseId}" is not about ${offence}`, { field: 'case' });
    this.caseId = caseId;
  }
}

/** A read of an emergency disclosure whose review deadline passed before oversight reviewed it. */
export class ReviewOverdueError extends PolicyRefusedError {
  readonly disclosureId: string;

  constructor(disclosureId: string, dueAt: string) {
    super(
      'review_overdue',
      `disclosure "${disclosureId}" was due for oversight's review at ${dueAt}: no reads until oversight confirms it`,
      { reviewDueAt: dueAt },
    );
    this.disclosureId = disclosureId;
  }
}

/** No credit contribution of the subject has this id (another's is not found either). */
export class ContributionNotFoundError extends NotFoundError {
  readonly contributionId: string;

  constructor(contributionId: string) {
    super('contribution_not_found', `no credit contribution has id "${contributionId}"`);
    this.contributionId = contributionId;
  }
}

// The person's lock of its identity (issue 15)

/**
 * A new use of a locked identity: a new avatar binding, a new credential (409), or a lock asked
 * of an identity already locked. Sanctions, eligibility, cases and disclosures never throw it.
 */
export class IdentityLockedError extends ConflictError {
  constructor(since: string, message = 'the person has locked the use of this identity') {
    super('identity_locked', message, { lockedSince: since });
  }
}

/** An unlock asked of an identity that is not locked. */
export class IdentityNotLockedError extends ConflictError {
  constructor() {
    super('identity_not_locked', 'your identity is not locked');
  }
}

/** An unlock asked by a caller with no passkey to prove it is the person (a machine's bearer token). */
export class PasskeyRequiredError extends MdisError {
  constructor() {
    super(
      'passkey_required',
      'unlocking needs a fresh passkey assertion, and this principal has no passkey: a registrar can issue a recovery activation code',
    );
  }
}

// The person's corrections of its own attributes (issue 15).

/** No correction has this id (or, for a subject, none of its own has). */
export class CorrectionNotFoundError extends NotFoundError {
  readonly correctionId: string;

  constructor(correctionId: string) {
    super('correction_not_found', `no correction has id "${correctionId}"`);
    this.correctionId = correctionId;
  }
}

/** A field the person may not correct: one the registry derives or captures, not one it states. */
export class NotCorrectableError extends PolicyRefusedError {
  constructor(field: string, why: string) {
    super('not_correctable', `${field} cannot be corrected by its subject: ${why}`, { field });
  }
}

/** A correction whose value is the one already recorded. */
export class CorrectionUnchangedError extends ConflictError {
  constructor(field: string) {
    super('correction_unchanged', `${field} already has this value`, { field });
  }
}

/** A second correction of a field while one is pending: the person waits for the first. */
export class CorrectionPendingError extends ConflictError {
  constructor(field: string, correctionId: string) {
    super('correction_pending', `a correction of ${field} is already pending (${correctionId})`, {
      field,
      correctionId,
    });
  }
}

/** A decision asked of a correction that was already accepted or refused. */
export class CorrectionClosedError extends ConflictError {
  readonly correctionId: string;

  constructor(correctionId: string, status: string) {
    super('correction_closed', `correction "${correctionId}" was already ${status}`, { status });
    this.correctionId = correctionId;
  }
}
/**
 * A person's export would hold more rows in one list than one signed bundle may (the bundle is
 * signed whole, so it is built in memory): the operator must hand it over another way.
 */
export class ExportTooLargeError extends MdisError {
  constructor(list: string, max: number) {
    super('export_too_large', `your ${list} hold more than ${max} rows, more than one export may carry`, {
      list,
      max,
    });
  }
}

/** A service checked by digital ID an action the policy keeps to pseudonyms (403). */
export class DigitalIdNotAllowedError extends MdisError {
  readonly action: string;

  constructor(action: string) {
    super(
      'digital_id_not_allowed',
      `the policy lets services check ${action} by their own pseudonym for the person only, not by digital ID (eligibility.digitalIdChecks)`,
    );
    this.action = action;
  }
}

/** A pseudonym this service was never given (another service's, or made up): one answer for both. */
export class PseudonymNotFoundError extends NotFoundError {
  constructor() {
    super('pseudonym_not_found', 'no person is known to this service by this pseudonym');
  }
}

/** No stored checkpoint covers the entry asked about (yet). */
export class CheckpointNotFoundError extends NotFoundError {
  constructor(index: number) {
    super('checkpoint_not_found', `no checkpoint covers entry ${index} yet`);
  }
}

// Erasure and preservation (issue 15).

/** 410: the thing asked about existed and was erased; it will not come back. */
export class GoneError extends MdisError {}

/** The digital ID belonged to a subject that has been erased. */
export class SubjectErasedError extends GoneError {
  /** Not in the message, as for SubjectNotFoundError. */
  readonly subject: string;

  constructor(subject: string) {
    super('erased', 'this digital ID was erased: mdis holds nothing about it any more');
    this.subject = subject;
  }
}

/**
 * An erasure that something holds: an open case, an active sanction or a preservation order. The
 * earliest date is when the first of them ends on its own (null when none has an end).
 */
export class ErasureBlockedError extends ConflictError {
  constructor(reason: string, earliestDate: string | null) {
    super(
      'erasure_blocked',
      earliestDate === null
        ? `erasure is held by ${reason.replaceAll('_', ' ')}, which has no set end`
        : `erasure is held by ${reason.replaceAll('_', ' ')} until ${earliestDate} at the earliest`,
      { reason, earliestDate },
    );
  }
}

/** A preservation order without a complete legal basis: kind, reference and who issued it. */
export class LegalBasisRequiredError extends PolicyRefusedError {
  constructor(field: string) {
    super('legal_basis_required', `a preservation order needs a legal basis: ${field} is missing`, { field });
  }
}

export class PreservationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('preservation_not_found', `no preservation order of yours has id "${id}"`);
  }
}

/** A preservation order is extended once at most. */
export class PreservationExtendedError extends ConflictError {
  constructor(id: string) {
    super('preservation_extended', `preservation order "${id}" was extended already: once is the limit`);
  }
}

/** A preservation order that has lapsed cannot be extended: order a new one. */
export class PreservationLapsedError extends ConflictError {
  constructor(id: string, endedAt: string) {
    super('preservation_lapsed', `preservation order "${id}" lapsed at ${endedAt}`, { endedAt });
  }
}

/** A presented credential that its issuer has revoked (reissued, banned, locked): no new use of it. */
export class CredentialRevokedError extends ConflictError {
  constructor() {
    super('credential_revoked', 'the issuer has revoked this credential');
  }
}

/**
 * A credential presentation that does not hold: the verifier's reason (bad signature, tampered
 * disclosure, expired, key binding) is in `reason`; a wrong audience has its own code.
 */
export class PresentationRefusedError extends MdisError {
  constructor(reason: string, message: string) {
    if (reason === 'key_binding_audience')
      super('key_binding_audience', `the key binding is not for you: ${message}`);
    else super('presentation_invalid', `the presentation does not hold: ${message}`, { reason });
  }
}

/** A presented credential mdis has no row for (or whose holder was erased): one answer for both. */
export class CredentialNotFoundError extends NotFoundError {
  constructor() {
    super('credential_not_found', 'no person is known by this credential');
  }
}

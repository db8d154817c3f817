/**
 * Domain errors. Each carries a stable machine code for the API; http/error-handler.ts maps codes
 * to statuses in one table. `details` holds extra fields that are safe to show the caller.
 */
export class MdisError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input that breaks a rule; `field` names where, as a dotted path (`natural.birthDate`). */
/** An error as a batch answers it for one of its items: code, message, and the field it names. */
export function itemError(error: MdisError): { error: string; message: string; field?: string } {
  const field = error.details.field;
  return { error: error.code, message: error.message, ...(typeof field === 'string' ? { field } : {}) };
}

export class ValidationError extends MdisError {
  /** The rule broken, without the field. */
  readonly rule: string;

  constructor(field: string, rule: string) {
    super('invalid_request', `${field}: ${rule}`, { field });
    this.rule = rule;
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

export class NotFoundError extends MdisError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

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

export class RateLimitedError extends MdisError {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', `too many requests; retry after ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** Well-formed, but the policy does not allow it (an appeal after its window, say). */
export class PolicyRefusedError extends MdisError {}

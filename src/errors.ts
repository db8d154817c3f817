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
export class ValidationError extends MdisError {
  constructor(field: string, message: string) {
    super('invalid_request', `${field}: ${message}`, { field });
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

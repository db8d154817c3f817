import { MdisError, NotFoundError } from '../errors.ts';

/** A sign-in refused: a wrong, expired or used activation code, a passkey response that does not verify. */
export class SignInRefusedError extends MdisError {
  constructor(code: 'invalid_activation_code' | 'passkey_refused' | 'session_expired', message: string) {
    super(code, message);
  }
}

/** A cookie-authenticated write without the session's CSRF token. */
export class CsrfRefusedError extends MdisError {
  constructor() {
    super('csrf_refused', 'a write with a session cookie needs the session’s x-csrf-token header');
  }
}

/** No session of the caller has this id (ended already, or someone else's). */
export class SessionNotFoundError extends NotFoundError {
  readonly sessionId: string;

  constructor(sessionId: string) {
    super('session_not_found', `you have no live session with id "${sessionId}"`);
    this.sessionId = sessionId;
  }
}

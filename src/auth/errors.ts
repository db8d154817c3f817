import { MdisError } from '../errors.ts';

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

import { ForbiddenError } from '../errors.ts';

/** A platform binding an avatar to a raw digital ID, which the policy keeps closed. */
export class RawBindingClosedError extends ForbiddenError {
  constructor() {
    super(
      'avatars are bound by the person’s consent when they sign in to the world through mdis; binding by digital ID is closed (policy identity.rawAvatarBinding)',
    );
    Object.defineProperty(this, 'code', { value: 'raw_binding_closed' });
  }
}

import { KeyPurposeUnavailableError } from '../errors.ts';
import type { KeyPurpose } from './purposes.ts';

const reason = 'this build issues no credentials yet (SD-JWT VC issuance is not part of it)';

/** The credential issuer keys: refused until credential issuance is part of this build. */
export const credentialKeys: KeyPurpose = {
  signs: 'the SD-JWT VC credentials',
  async rotate() {
    throw new KeyPurposeUnavailableError('credential', reason);
  },
  async list() {
    throw new KeyPurposeUnavailableError('credential', reason);
  },
};

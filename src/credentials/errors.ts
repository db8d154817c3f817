import { type ErrorCode, MdisError } from '../errors.ts';

/**
 * An error of the OAuth 2.0 / OpenID4VCI protocol: its code is the protocol's own, so a wallet
 * reads `error` as the specification says; `error_description` repeats the message for wallets
 * that read only the protocol's fields. Nothing is issued when one is thrown.
 */
export class CredentialProtocolError extends MdisError {
  constructor(code: ErrorCode, message: string) {
    super(code, message, { error_description: message });
  }
}

/** A pre-authorized code unknown, expired or already redeemed, or a wrong transaction code. */
export class InvalidGrantError extends CredentialProtocolError {
  constructor(message: string) {
    super('invalid_grant', message);
  }
}

/** A grant type the token endpoint does not offer. */
export class UnsupportedGrantTypeError extends CredentialProtocolError {
  constructor(grantType: string) {
    super('unsupported_grant_type', `grant type "${grantType}" is not supported`);
  }
}

/** A proof of possession that is not one: wrong type, audience, time, or a signature by another key. */
export class InvalidProofError extends CredentialProtocolError {
  constructor(message: string) {
    super('invalid_proof', message);
  }
}

/** A proof whose c_nonce is not one this issuer handed out, has expired, or was used already. */
export class InvalidNonceError extends CredentialProtocolError {
  constructor(message: string) {
    super('invalid_nonce', message);
  }
}

/** A credential request that is malformed or asks for a claim the configuration does not have. */
export class InvalidCredentialRequestError extends CredentialProtocolError {
  constructor(message: string) {
    super('invalid_credential_request', message);
  }
}

/** A credential configuration this issuer does not have, or the access token does not cover. */
export class UnknownCredentialConfigurationError extends CredentialProtocolError {
  readonly configuration: string;

  constructor(configuration: string) {
    super('unknown_credential_configuration', `no credential configuration "${configuration}" here`);
    this.configuration = configuration;
  }
}

/** The credential endpoint's access token is missing, unknown or expired (RFC 6750). */
export class InvalidAccessTokenError extends MdisError {
  constructor(message: string) {
    super('invalid_token', message, { error_description: message });
  }
}

/**
 * An access token of mdis's OpenID Provider that a wallet holds but that grants no credential
 * scope (RFC 6750 section 3.1): the person consented to nothing this endpoint issues.
 */
export class InsufficientScopeError extends MdisError {
  constructor(message: string) {
    super('insufficient_scope', message, { error_description: message });
  }
}

/** No status list with this number. */
export class StatusListNotFoundError extends MdisError {
  constructor(list: string) {
    super('status_list_not_found', `no status list "${list}"`);
  }
}

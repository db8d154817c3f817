/** A one-time activation code: only its hash is kept. */
export interface ActivationCodesTable {
  code_hash: string;
  principal_id: string;
  /** `enrolment`, `staff` or `recovery`. */
  purpose: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  used_at: string | null;
}

export interface PasskeysTable {
  /** The credential id, base64url. */
  id: string;
  principal_id: string;
  /** COSE public key. */
  public_key: Buffer;
  counter: number | string;
  /** JSON array of transports. */
  transports: string | null;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/** A WebAuthn challenge handed out and not yet answered; each is answered once. */
export interface WebauthnChallengesTable {
  challenge: string;
  /** `activation`, `sign-in` or `add-passkey`. */
  purpose: string;
  principal_id: string | null;
  expires_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's value. */
  id_hash: string;
  principal_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end of the session; the idle end is last_seen_at plus the idle timeout. */
  expires_at: string;
}

/** Told to the person at their next sign-in. */
export interface SignInNoticesTable {
  principal_id: string;
  recovery_code_issued_at: string;
}

/** oidc-provider's models (sessions, codes, grants, interactions…), one row each. */
export interface OidcModelsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

/** Each world's OpenID Connect client: its metadata, and its secret sealed by the vault. */
export interface OidcClientsTable {
  world_id: string;
  metadata: string;
  sealed_secret: Buffer | null;
  created_at: string;
  updated_at: string;
}

/** The OpenID Provider's signing keys, each private JWK sealed by the vault. */
export interface OidcKeysTable {
  kid: string;
  sealed_jwk: Buffer;
  created_at: string;
  /** When a newer key took over signing; published until the ID tokens it signed expire. */
  retired_at: string | null;
}

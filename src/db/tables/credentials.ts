/** A credential signing key (Ed25519), sealed by the keyring; `active` = 1 for the one that signs. */
export interface CredentialKeysTable {
  kid: string;
  sealed_jwk: Buffer;
  created_at: string;
  /** 1 for the key that signs new credentials; every key stays published until `retired_at`. */
  active: number;
  retired_at: string | null;
  /** When a newer key took over signing (null: never replaced). */
  replaced_at: string | null;
}

/** A credential offer: its pre-authorized code and transaction code, kept as keyed hashes only. */
export interface CredentialOffersTable {
  code_hash: string;
  tx_code_hash: string;
  subject_id: string;
  /** JSON array of credential configuration ids. */
  configurations: string;
  /** 1 if the person chose to put their grade in the standing credential. */
  with_grade: number;
  failed_attempts: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** An OpenID4VCI access token (from a redeemed offer), kept as a keyed hash. */
export interface CredentialAccessTokensTable {
  token_hash: string;
  subject_id: string;
  configurations: string;
  with_grade: number;
  expires_at: string;
}

/** A c_nonce already answered with a proof: a second proof with it is a replay. */
export interface CredentialSpentNoncesTable {
  nonce_hash: string;
  expires_at: string;
}

/** A status list and how many of its entries are handed out. */
export interface CredentialStatusListsTable {
  id: number;
  size: number;
  allocated: number;
}

/** What is kept of an issued credential: enough to revoke it, never its claims. */
export interface CredentialsTable {
  id: string;
  subject_id: string;
  type: string;
  status_list: number;
  status_index: number;
  kid: string;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  /** The credential's own pseudonym (its `sub`), to find it from a presentation; null before it was kept. */
  holder_sub: string | null;
}

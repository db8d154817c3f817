/** A signing key of one purpose (`export`), its private JWK sealed by the keyring. */
export interface SigningKeysTable {
  kid: string;
  purpose: string;
  sealed_jwk: Buffer;
  created_at: string;
  /** Set when it no longer signs nor is published. */
  retired_at: string | null;
}

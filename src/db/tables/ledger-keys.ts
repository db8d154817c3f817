/** The log's Ed25519 signing key, sealed under the master key so that every instance shares it. */
export interface LedgerKeysTable {
  id: string;
  sealed_private_key: Buffer;
  public_key: Buffer;
  created_at: string;
}

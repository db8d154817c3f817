import type { ColumnType } from 'kysely';

/** The log's Ed25519 signing key, sealed under the master key so that every instance shares it. */
export interface LedgerKeysTable {
  id: string;
  sealed_private_key: Buffer;
  public_key: Buffer;
  created_at: string;
  /** The first checkpoint size this key signs: the announcing entry's index + 1 (0: the first key). */
  from_size: ColumnType<number, number | undefined, never>;
  /** When a later key replaced it; it stays to verify what it signed. */
  retired_at: string | null;
}

import type { ColumnType } from 'kysely';

export interface LedgerCheckpointsTable {
  size: number;
  root: Buffer;
  /** The C2SP signed note. */
  note: string;
  /** The witnesses' cosignature lines on it (C2SP tlog-cosignature), '' when none. */
  cosignatures: ColumnType<string, string | undefined, string>;
  created_at: string;
}

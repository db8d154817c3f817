import type { Db } from '../db/database.ts';
import type { StoredEntry } from './verify.ts';

const page = 1000;

/**
 * The log exactly as stored, read without the ledger service (which syncs its tree and may sign
 * a checkpoint): what `mdis log verify` checks, so that a tampered log is read as it is and
 * verifying appends nothing.
 */
export interface StoredLog {
  /** The first checkpoint key's raw Ed25519 public key (later ones follow from the log); undefined before the first start. */
  publicKey: Buffer | undefined;
  /** The first stored checkpoint that covers entry `index`: the hand-over of a key rotation there. */
  handover: (index: number) => Promise<string | undefined>;
  /** The note of the largest checkpoint signed, if any, with its witnesses' cosignatures. */
  checkpoint: string | undefined;
  /** Every entry with its stored leaf hash, in index order, read a page at a time. */
  entries: AsyncIterable<StoredEntry>;
}

export async function readStoredLog(db: Db): Promise<StoredLog> {
  const key = await db
    .selectFrom('ledger_keys')
    .select('public_key')
    .orderBy('from_size')
    .limit(1)
    .executeTakeFirst();
  const checkpoint = await db
    .selectFrom('ledger_checkpoints')
    .select(['note', 'cosignatures'])
    .orderBy('size', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    publicKey: key?.public_key,
    checkpoint: checkpoint && checkpoint.note + checkpoint.cosignatures,
    entries: storedEntries(db),
    handover: (index) => checkpointCovering(db, index),
  };
}

async function* storedEntries(db: Db): AsyncIterable<StoredEntry> {
  for (let start = 0; ; start += page) {
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['idx', 'entry', 'leaf_hash'])
      .where('idx', '>=', start)
      .orderBy('idx')
      .limit(page)
      .execute();
    for (const row of rows) yield { index: Number(row.idx), entry: row.entry, leafHash: row.leaf_hash };
    if (rows.length < page) return;
  }
}

/** The smallest stored checkpoint with more than `index` entries, with its cosignatures. */
export async function checkpointCovering(db: Db, index: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('ledger_checkpoints')
    .select(['note', 'cosignatures'])
    .where('size', '>', index)
    .orderBy('size')
    .limit(1)
    .executeTakeFirst();
  return row && row.note + row.cosignatures;
}

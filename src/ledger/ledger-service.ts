import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Engine } from '../db/engine.ts';
import { preparedQuery } from '../db/prepared.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import type { Keyring } from '../keyring.ts';
import type { PrincipalPeople } from '../principals/principal-people.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { pooledRandomBytes } from '../util/random.ts';
import { rawPublicKey, signCheckpoint, verifierKey } from './checkpoint.ts';
import { committingFormat } from './commitments.ts';
import { conceal } from './conceal.ts';
import { LedgerKeys, type LogKey, newKey } from './ledger-keys.ts';
import { committingFrom, formatAt } from './log-format.ts';
import { LogOpenings } from './log-openings.ts';
import { leafHash, MerkleTree, type Peaks } from './merkle.ts';
import { checkpointCovering } from './stored-log.ts';
import type { WitnessClient } from './witness-client.ts';

/** One sensitive act, as the log records it: no personal data, only ids and a salted digest. */
export interface Act {
  kind: string;
  /** The principal that did it ("system" for scheduled work). */
  actor: string;
  /**
   * Ids and codes that say what it was about: subject, case, sanction, world ids, kinds. The refs
   * that name a person (subject, pseudonym, handle; principal when it is a person's own) are
   * logged as commitments only (see conceal.ts).
   */
  refs: Record<string, string | number | boolean | null | undefined>;
  /** Anything more (texts, attribute values): logged as SHA-256(salt ‖ canonical JSON) only. */
  details?: unknown;
}

/** An entry as stored, parsed. */
export interface LoggedAct {
  idx: number;
  at: string;
  kind: string;
  actor: string;
  refs: Record<string, string | number | boolean | null>;
  /** Format 2: a commitment for each ref that named a person (ref name to base64url digest). */
  commitments?: Record<string, string>;
}

/** An entry as the public reads it: its text, or only its leaf hash (base64) if withheld. */
export type PublicEntry = { index: number; entry: string } | { index: number; leafHash: string };

export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  /** The signed note, with the witnesses' cosignatures after the log's signature. */
  note: string;
}

/** A stored checkpoint: the log's signed note and its witnesses' cosignature lines apart. */
interface CheckpointRow {
  size: number;
  root: Buffer;
  note: string;
  cosignatures: string;
}

const syncBatch = 10_000;

/**
 * The transparency log: entries appended in the transaction of the act they record, an in-memory
 * RFC 9162 tree over them, and signed checkpoints. Each entry also carries the root of the log
 * before it, so that `mdis log verify` can name the first entry that was altered.
 */
export class LedgerService {
  readonly #db: Db;
  readonly #engine: Engine;
  readonly #keys: LedgerKeys;
  readonly #origin: string;
  readonly #now: () => Date;
  readonly #tree = new MerkleTree();
  /** Per open transaction: how many entries it appended, and the tree's right edge with them. */
  readonly #pending = new WeakMap<object, { count: number; peaks: Peaks }>();
  readonly #lockKey: number;
  readonly #witnesses: WitnessClient | undefined;
  /** Every sensitive act goes through these: built and compiled once (see preparedQuery). */
  readonly #insertEntry;
  readonly #insertSalt;
  #committingFrom: number | undefined;
  readonly #people: PrincipalPeople;
  /** The openings of the entries' commitments, for the people they concern and the auditors. */
  readonly openings: LogOpenings;

  constructor(options: {
    db: Db;
    engine: Engine;
    keyring: Keyring;
    origin: string;
    schema?: string;
    now: () => Date;
    /** Witnesses to get each new checkpoint cosigned by before it is stored. */
    witnesses?: WitnessClient;
    /** Tells a person's own principal from staff, so that the log commits to the former. */
    people: PrincipalPeople;
  }) {
    this.#db = options.db;
    this.#engine = options.engine;
    this.#keys = new LedgerKeys({ db: options.db, keyring: options.keyring, origin: options.origin });
    this.#origin = options.origin;
    this.#now = options.now;
    this.#witnesses = options.witnesses;
    this.#people = options.people;
    this.openings = new LogOpenings(options.db);
    // Appends are serialised per store: one advisory lock key per PostgreSQL schema.
    this.#lockKey = createHash('sha256')
      .update(`mdis ledger ${options.schema ?? 'public'}`)
      .digest()
      .readInt32BE(0);
    // idx, entry, leaf hash, created at
    this.#insertEntry = preparedQuery(
      options.db
        .insertInto('ledger_entries')
        .values({ idx: 0, entry: '', leaf_hash: Buffer.alloc(0), created_at: '' }),
    );
    // idx, salt
    this.#insertSalt = preparedQuery(
      options.db.insertInto('ledger_salts').values({ idx: 0, salt: Buffer.alloc(0) }),
    );
  }

  get origin(): string {
    return this.#origin;
  }

  get size(): number {
    return this.#tree.size;
  }

  get tree(): MerkleTree {
    return this.#tree;
  }

  /**
   * Loads (or on first start creates) the signing key, reads the log into memory, and records
   * where the log switched to the format that commits to people, if it has not yet.
   */
  async init(): Promise<void> {
    await this.#keys.init(this.#now());
    await this.sync();
    await inTransaction(this.#db, async (trx) => {
      await this.#begin(trx);
      if ((await formatAt(trx, this.#tree.size - 1)) < committingFormat) {
        await this.append(trx, { kind: 'log.format', actor: 'system', refs: { version: committingFormat } });
      }
    });
    await this.sync();
    this.#committingFrom = await committingFrom(this.#db, this.#tree.size);
  }

  /**
   * The index of the entry from which on the log commits to people. Entries before it (a log kept
   * by an older mdis) name people in the clear: they are served to auditors only.
   */
  get committingFrom(): number {
    if (this.#committingFrom === undefined) throw new Error('the ledger is not initialised');
    return this.#committingFrom;
  }

  /** The verifier key of the checkpoints: `<origin>+<key id>+<base64 key>`. */
  get verifierKey(): string {
    return this.#keys.current.verifierKey;
  }

  /** Every checkpoint key the log has had, oldest first, as this instance last read them. */
  async keys(): Promise<readonly LogKey[]> {
    await this.#keys.refresh();
    return this.#keys.all;
  }

  /**
   * Rotates the checkpoint key inside `trx`: appends a `log.key_rotated` entry that announces the
   * new verifier key, and stores the key to sign from the size after it. The first checkpoint that
   * covers the entry is signed by the old key and the new one (see LedgerKeys.signersFor), so a
   * verifier that trusts the old key learns the new one from the log itself.
   */
  async rotateKey(trx: Tx, actor: string): Promise<{ previous: string; key: string; index: number }> {
    await this.#begin(trx);
    await this.#keys.refresh(trx);
    const previous = this.#keys.current.verifierKey;
    const privateKey = newKey();
    const key = verifierKey(this.#origin, rawPublicKey(privateKey));
    const index = await this.append(trx, { kind: 'log.key_rotated', actor, refs: { key, previous } });
    await this.#keys.insert(trx, { fromSize: index + 1, now: this.#now(), privateKey });
    return { previous, key, index };
  }

  /** Appends an act inside `trx`; it is in the log exactly when the transaction commits. */
  async append(trx: Tx, act: Act): Promise<number> {
    const pending = await this.#begin(trx);
    const concealed = await conceal(act, (id) => this.#people.subjectOf(trx, id));
    const idx = this.#tree.size + pending.count;
    const at = this.#now().toISOString();
    const salt = act.details === undefined ? undefined : pooledRandomBytes(16);
    const entry = canonicalJson({
      v: committingFormat,
      idx,
      at,
      kind: act.kind,
      actor: concealed.actor,
      refs: concealed.refs,
      commitments: concealed.commitments,
      digest: salt && createHash('sha256').update(salt).update(canonicalJson(act.details)).digest('hex'),
      prev: Buffer.from(pending.peaks.root()).toString('base64'),
    });
    const leaf = leafHash(Buffer.from(entry));
    await this.#insertEntry(trx, [idx, entry, leaf, at]);
    if (salt !== undefined) await this.#insertSalt(trx, [idx, salt]);
    await this.openings.record(trx, idx, concealed.openings);
    pending.peaks.push(leaf);
    pending.count++;
    return idx;
  }

  /**
   * The first append of a transaction takes the log's lock, then catches up with what others
   * committed, so the index and the previous root are those the entry will really follow.
   */
  async #begin(trx: Tx): Promise<{ count: number; peaks: Peaks }> {
    let pending = this.#pending.get(trx);
    if (pending === undefined) {
      if (this.#engine === 'postgres') await sql`select pg_advisory_xact_lock(${this.#lockKey})`.execute(trx);
      await this.sync(trx);
      pending = { count: 0, peaks: this.#tree.peaks() };
      this.#pending.set(trx, pending);
    }
    return pending;
  }

  /** Reads entries committed since the last read into the in-memory tree. */
  async sync(db: Db = this.#db): Promise<void> {
    for (;;) {
      const rows = await db
        .selectFrom('ledger_entries')
        .select(['idx', 'leaf_hash'])
        .where('idx', '>=', this.#tree.size)
        .orderBy('idx')
        .limit(syncBatch)
        .execute();
      for (const row of rows) {
        // Another sync may have read some of these rows meanwhile: each is added once, in order.
        if (Number(row.idx) < this.#tree.size) continue;
        if (Number(row.idx) > this.#tree.size) throw new Error(`the log has a gap before entry ${row.idx}`);
        this.#tree.append(row.leaf_hash);
      }
      if (rows.length < syncBatch) return;
    }
  }

  /** Signs and stores a checkpoint if the log grew since the last one; returns the latest. */
  async checkpoint(): Promise<StoredCheckpoint> {
    await this.sync();
    const latest = await this.#latestRow();
    const size = this.#tree.size;
    if (latest !== undefined && latest.size >= size) return this.#completeCosignatures(latest);
    const root = Buffer.from(this.#tree.root(size));
    // Read again before each signature: a rotation by another process (`mdis keys rotate`) is
    // signed from the checkpoint that covers it on, by whichever instance signs it.
    await this.#keys.refresh();
    const signers = await this.#keys.signersFor(latest?.size ?? 0, size);
    const note = signCheckpoint({ origin: this.#origin, size, root }, this.#origin, signers);
    // Cosigned before it is stored, so that the checkpoint is never served without them.
    const cosignatures = (await this.#witnesses?.cosign(note, size, this.#tree)) ?? '';
    await this.#db
      .insertInto('ledger_checkpoints')
      .values({ size, root, note, cosignatures, created_at: this.#now().toISOString() })
      .onConflict((oc) => oc.column('size').doNothing())
      .execute();
    // Another caller (the scheduled pass, a first reader, another instance) may have stored this
    // size first, cosigned at another second: what was stored is what every caller is given.
    const stored = await this.#db
      .selectFrom('ledger_checkpoints')
      .select(['note', 'cosignatures'])
      .where('size', '=', size)
      .executeTakeFirstOrThrow();
    return { size, root, note: stored.note + stored.cosignatures };
  }

  /** The first stored checkpoint covering entry `index`, with its cosignatures. */
  checkpointCovering(index: number): Promise<string | undefined> {
    return checkpointCovering(this.#db, index);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = await this.#latestRow();
    return row && { size: row.size, root: row.root, note: row.note + row.cosignatures };
  }

  #latestRow(): Promise<CheckpointRow | undefined> {
    return this.#db
      .selectFrom('ledger_checkpoints')
      .select(['size', 'root', 'note', 'cosignatures'])
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst()
      .then((row) => row && { ...row, size: Number(row.size) });
  }

  /** The latest checkpoint, with the cosignatures of witnesses that were missing when it was signed. */
  async #completeCosignatures(row: CheckpointRow): Promise<StoredCheckpoint> {
    const stored = { size: row.size, root: row.root, note: row.note + row.cosignatures };
    if (this.#witnesses === undefined || row.size > this.#tree.size) return stored;
    const cosignatures = await this.#witnesses.complete(row.note, row.cosignatures, row.size, this.#tree);
    if (cosignatures === undefined) return stored;
    await this.#db
      .updateTable('ledger_checkpoints')
      .set({ cosignatures })
      .where('size', '=', row.size)
      .execute();
    return { ...stored, note: row.note + cosignatures };
  }

  /** Witnesses configured whose cosignature the latest checkpoint lacks (0 without witnesses). */
  async missingCosignatures(): Promise<number> {
    if (this.#witnesses === undefined) return 0;
    const latest = await this.latestCheckpoint();
    return latest === undefined ? 0 : this.#witnesses.missingFrom(latest.note);
  }

  /**
   * How far the log has grown, in this store (whichever instance appended): the number of entries
   * and the size of the latest checkpoint. Two index reads; anything derived from the log stays
   * valid while they do not change.
   */
  async head(): Promise<{ entries: number; checkpointed: number }> {
    const [entry, checkpoint] = await Promise.all([
      this.#db.selectFrom('ledger_entries').select('idx').orderBy('idx', 'desc').limit(1).executeTakeFirst(),
      this.#db
        .selectFrom('ledger_checkpoints')
        .select('size')
        .orderBy('size', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    return {
      entries: entry === undefined ? 0 : Number(entry.idx) + 1,
      checkpointed: checkpoint === undefined ? 0 : Number(checkpoint.size),
    };
  }

  /** The latest checkpoint signed at or before `time`: the log as it stood then. */
  async checkpointAt(time: string): Promise<(StoredCheckpoint & { createdAt: string }) | undefined> {
    const row = await this.#db
      .selectFrom('ledger_checkpoints')
      .select(['size', 'root', 'note', 'created_at'])
      .where('created_at', '<=', time)
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { size: Number(row.size), root: row.root, note: row.note, createdAt: row.created_at };
  }

  /**
   * The entries of one kind appended in [from, to), parsed: for reports on acts that only the log
   * records (a disclosure refused by policy writes nothing else).
   */
  async entriesOfKind(kind: string, from: string, to: string): Promise<LoggedAct[]> {
    const rows = await this.#db
      .selectFrom('ledger_entries')
      .select('entry')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      // A coarse filter the index cannot serve but that spares parsing every entry of the period.
      .where('entry', 'like', `%"kind":"${kind}"%`)
      .execute();
    return rows.map((row) => JSON.parse(row.entry) as LoggedAct).filter((act) => act.kind === kind);
  }

  /** Entries [start, end) as stored: for auditors (and the tests). */
  async entries(start: number, end: number) {
    const rows = await this.#db
      .selectFrom('ledger_entries')
      .select(['idx', 'entry'])
      .where('idx', '>=', start)
      .where('idx', '<', end)
      .orderBy('idx')
      .execute();
    return rows.map((r) => ({ index: Number(r.idx), entry: r.entry }));
  }

  /**
   * The entries appended in [from, to) whose kind is one of `kinds` or whose refs set one of
   * `flags` to true, parsed, in one scan of the period: what the transparency report counts
   * (break-glass acts are flagged `refs.breakGlass`, whatever their kind).
   */
  async entriesOfInterest(
    select: { kinds: readonly string[]; flags: readonly string[] },
    from: string,
    to: string,
  ): Promise<LoggedAct[]> {
    const patterns = [
      ...select.kinds.map((kind) => `%"kind":"${kind}"%`),
      ...select.flags.map((flag) => `%"${flag}":true%`),
    ];
    if (patterns.length === 0) return [];
    const rows = await this.#db
      .selectFrom('ledger_entries')
      .select('entry')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      // Coarse filters, as in entriesOfKind; the exact test is on the parsed entry.
      .where((eb) => eb.or(patterns.map((pattern) => eb('entry', 'like', pattern))))
      .orderBy('idx')
      .execute();
    return rows
      .map((row) => JSON.parse(row.entry) as LoggedAct)
      .filter(
        (act) => select.kinds.includes(act.kind) || select.flags.some((flag) => act.refs?.[flag] === true),
      );
  }

  /**
   * Entries [start, end) for anyone: as stored from the switch to commitments on; before it (they
   * name people in the clear) only their leaf hash, which keeps the tree checkable.
   */
  async publicEntries(start: number, end: number): Promise<PublicEntry[]> {
    const from = this.committingFrom;
    const rows = await this.#db
      .selectFrom('ledger_entries')
      .select(['idx', 'entry', 'leaf_hash'])
      .where('idx', '>=', start)
      .where('idx', '<', end)
      .orderBy('idx')
      .execute();
    return rows.map((r) =>
      Number(r.idx) < from
        ? { index: Number(r.idx), leafHash: r.leaf_hash.toString('base64') }
        : { index: Number(r.idx), entry: r.entry },
    );
  }
}

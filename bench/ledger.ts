// The transparency log: durable appends, checkpoints and proofs at a million entries, and the
// identification an authority makes under a granted disclosure, each against a baseline measured
// in the same run (raw SHA-256, raw better-sqlite3 group commits, the plain lookups).
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AppContext } from '../src/context.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { committingFormat } from '../src/ledger/commitments.ts';
import { conceal } from '../src/ledger/conceal.ts';
import type { Act } from '../src/ledger/ledger-service.ts';
import { leafHash } from '../src/ledger/merkle.ts';
import { canonicalJson } from '../src/util/canonical-json.ts';
import { newId } from '../src/util/ids.ts';
import { dayMs } from '../src/util/time.ts';
import { openBenchStore, pick, seeding, worlds } from './_fixtures.ts';
import { progress, type Row, rates, rounds, type Suite, seconds } from './_measure.ts';
import { checkpoints } from './ledger-checkpoint.ts';
import { identification } from './ledger-identify.ts';
import { proofs } from './ledger-proofs.ts';

/** Entries in the log before anything is measured: the size the targets are stated at. */
const entryCount = 1_000_000;
/** Appends per transaction: the group commit of a busy instance. */
const perTransaction = 100;

export const ledger: Suite = {
  name: 'ledger',
  async run() {
    const store = await openBenchStore();
    try {
      const { ctx } = store;
      progress(`ledger: writing ${entryCount.toLocaleString('en')} entries raw…`);
      await ctx.ledger.sync();
      let started = performance.now();
      const pool = await actPool();
      await seeding(ctx, async () =>
        fillEntries(ctx.store.sqlite!, pool, ctx.ledger.size, entryCount - ctx.ledger.size),
      );
      const fillSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      await ctx.ledger.sync();
      const syncSeconds = (performance.now() - started) / 1000;
      const parts = [
        await appends(ctx),
        await checkpoints(ctx),
        await proofs(ctx),
        await identification(ctx),
      ];
      return {
        title: `ledger — SQLite (WAL, synchronous=FULL), ${entryCount.toLocaleString('en')} entries before; rates best of ${rounds} alternating rounds, ${seconds} s in all`,
        rows: parts.flatMap((part) => part.rows),
        notes: [
          `setup (not measured): ${fillSeconds.toFixed(0)} s to write the entries raw (canonical JSON as appended, true leaf hashes, random \`prev\` roots: nothing here checks them); reading their leaf hashes into the in-memory tree (ledger.sync, as at start-up) took ${syncSeconds.toFixed(1)} s`,
          ...parts.flatMap((part) => part.notes),
        ],
      };
    } finally {
      await store.remove();
    }
  },
};

/** A plausible act of the i-th kind: a report, a score change, a sanction, a binding. */
export function act(i: number): Act {
  const subject = `MD${randomBytes(13).toString('hex').slice(0, 21).toUpperCase()}`;
  const actor = `prn_${(i % 37).toString(36).padStart(16, '0')}`;
  switch (i % 4) {
    case 0:
      return {
        kind: 'report.filed',
        actor,
        refs: {
          report: newId('rpt'),
          case: newId('case'),
          world: pick(worlds),
          subject,
          category: 'harassment',
        },
        details: {
          reporter: `reporter-${i}`,
          description: 'Kept sending threats in private messages after being blocked.',
          evidence: [{ sha256: 'e'.repeat(64), uri: `https://evidence.example/${i}` }],
        },
      };
    case 1:
      return {
        kind: 'credit.changed',
        actor: 'system',
        refs: { subject, score: 940 + (i % 60), grade: 'B', cause: `event:${newId('evt')}` },
      };
    case 2:
      return {
        kind: 'sanction.imposed',
        actor,
        refs: {
          sanction: newId('snc'),
          subject,
          kind: 'suspension',
          world: pick(worlds),
          case: newId('case'),
        },
        details: { reason: 'Third strike for harassment', actions: null, startsAt: new Date().toISOString() },
      };
    default:
      return {
        kind: 'avatar.bound',
        actor,
        refs: { world: pick(worlds), subject, pseudonym: newId('psn') },
        details: { handle: `avatar-${i}` },
      };
  }
}

// Acts drawn from a pool (their ids and commitments repeat; nothing here looks them up), concealed
// as `append` conceals them (the bench's actors are no one's own principal), details serialised once.
async function actPool() {
  return Promise.all(
    Array.from({ length: 8192 }, async (_, i) => {
      const a = act(i);
      const concealed = await conceal(a, () => null);
      return {
        ...a,
        ...concealed,
        details: a.details === undefined ? undefined : canonicalJson(a.details),
      };
    }),
  );
}

/** `count` entries from index `first`, as `append` writes them (with their openings), in big transactions. */
function fillEntries(
  sqlite: Database.Database,
  pool: Awaited<ReturnType<typeof actPool>>,
  first: number,
  count: number,
): void {
  const insertEntry = sqlite.prepare(
    'insert into ledger_entries (idx, entry, leaf_hash, created_at) values (?, ?, ?, ?)',
  );
  const insertSalt = sqlite.prepare('insert into ledger_salts (idx, salt) values (?, ?)');
  const insertOpening = sqlite.prepare(
    'insert into ledger_openings (idx, ref, subject_id, value, salt) values (?, ?, ?, ?, ?)',
  );
  const start = Date.now() - 365 * dayMs;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let idx = from; idx < to; idx++) {
      const a = pool[idx % pool.length]!;
      const at = new Date(start + ((idx - first) / count) * 365 * dayMs).toISOString();
      const salt = a.details === undefined ? undefined : randomBytes(16);
      const entry = canonicalJson({
        v: committingFormat,
        idx,
        at,
        kind: a.kind,
        actor: a.actor,
        refs: a.refs,
        commitments: a.commitments,
        digest: salt && createHash('sha256').update(salt).update(a.details!).digest('hex'),
        prev: randomBytes(32).toString('base64'),
      });
      insertEntry.run(idx, entry, leafHash(Buffer.from(entry)), at);
      if (salt !== undefined) insertSalt.run(idx, salt);
      for (const o of a.openings) insertOpening.run(idx, o.ref, o.subject, o.value, o.salt);
    }
  });
  for (let from = first; from < first + count; from += 100_000)
    batch(from, Math.min(first + count, from + 100_000));
}

/**
 * Durable appends, `perTransaction` per transaction, against raw SHA-256 of an entry's size and
 * raw inserts of rows of the same size, as many per durable transaction.
 */
async function appends(ctx: AppContext): Promise<{ rows: Row[]; notes: string[] }> {
  progress(`ledger: appending, ${perTransaction} per transaction…`);
  const sqlite = ctx.store.sqlite!;
  const sample = sqlite
    .prepare('select entry, leaf_hash, created_at from ledger_entries order by idx desc limit 1')
    .get() as {
    entry: string;
    leaf_hash: Buffer;
    created_at: string;
  };
  const entryBytes = Buffer.from(sample.entry);
  sqlite.exec(
    'create table bench_scratch (idx integer primary key, entry text not null, leaf_hash blob not null, created_at text not null)',
  );
  try {
    const insert = sqlite.prepare(
      'insert into bench_scratch (idx, entry, leaf_hash, created_at) values (?, ?, ?, ?)',
    );
    const rawBatch = sqlite.transaction((i: number) => {
      for (let k = 0; k < perTransaction; k++)
        insert.run(i * perTransaction + k, sample.entry, sample.leaf_hash, sample.created_at);
    });
    const acts = Array.from({ length: 4096 }, (_, i) => act(i));
    const sizes = acts.map((a) => Buffer.byteLength(JSON.stringify(a)));
    const rate = await rates({
      append: {
        async: (i) =>
          inTransaction(ctx.db, async (trx) => {
            for (let k = 0; k < perTransaction; k++)
              await ctx.ledger.append(trx, acts[(i * perTransaction + k) % acts.length]!);
          }),
      },
      raw: { async: async (i) => rawBatch(i) },
      sha: { sync: () => createHash('sha256').update(entryBytes).digest() },
    });
    const appendsPerSecond = rate.append * perTransaction;
    return {
      rows: [
        {
          name: `durable appends (ledger.append), ${perTransaction}/transaction`,
          value: appendsPerSecond,
          baseline: `raw inserts, ${perTransaction}/transaction`,
          baselineValue: rate.raw * perTransaction,
          target: { rateAtLeast: 5_000 },
        },
        {
          name: '  … against hashing',
          value: appendsPerSecond,
          baseline: `raw SHA-256 of ${entryBytes.length} B`,
          baselineValue: rate.sha,
        },
      ],
      notes: [
        `appends: reports, score changes, sanctions and bindings in turn (acts of ${Math.min(...sizes)}–${Math.max(...sizes)} B as JSON, entries of about ${entryBytes.length} B), three in four with details (salted digest, salt row), each with its subject (and a binding its pseudonym) as a commitment and an openings row for each; the raw rows are a logged entry copied`,
      ],
    };
  } finally {
    sqlite.exec('drop table bench_scratch');
  }
}

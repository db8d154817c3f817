// Checkpoints at a million entries: how long after new entries commit a signed checkpoint covers
// them, against the least a checkpoint must do (an Ed25519 signature and one durable insert).
import { generateKeyPairSync, sign } from 'node:crypto';
import type { AppContext } from '../src/context.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { progress, type Row } from './_measure.ts';
import { act } from './ledger.ts';

const runs = 40;
/** New entries before each checkpoint: what a busy instance commits in a 250 ms tick. */
const newEntries = 100;
/** How often a serving instance signs (context.ts, startJobs). */
const tickMs = 250;

export async function checkpoints(ctx: AppContext): Promise<{ rows: Row[]; notes: string[] }> {
  progress(`ledger: checkpoints after ${newEntries} new entries…`);
  const sqlite = ctx.store.sqlite!;
  let started = performance.now();
  const first = await ctx.ledger.checkpoint();
  const firstMs = performance.now() - started;
  const { privateKey } = generateKeyPairSync('ed25519');
  sqlite.exec(
    'create table bench_scratch (size integer primary key, root blob not null, note text not null, created_at text not null)',
  );
  const insert = sqlite.prepare(
    'insert into bench_scratch (size, root, note, created_at) values (?, ?, ?, ?)',
  );
  const measured: number[] = [];
  const raw: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      await inTransaction(ctx.db, async (trx) => {
        for (let k = 0; k < newEntries; k++) await ctx.ledger.append(trx, act(run * newEntries + k));
      });
      started = performance.now();
      const checkpoint = await ctx.ledger.checkpoint();
      measured.push(performance.now() - started);
      if (checkpoint.size !== first.size + (run + 1) * newEntries)
        throw new Error(`checkpoint at ${checkpoint.size}`);
      started = performance.now();
      const body = `${ctx.ledger.origin}\n${checkpoint.size}\n${checkpoint.root.toString('base64')}\n`;
      const signature = sign(null, Buffer.from(body), privateKey).toString('base64');
      insert.run(
        checkpoint.size,
        checkpoint.root,
        `${body}\n— bench ${signature}\n`,
        new Date().toISOString(),
      );
      raw.push(performance.now() - started);
    }
  } finally {
    sqlite.exec('drop table bench_scratch');
  }
  const worst = Math.max(...measured);
  const median = measured.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  return {
    rows: [
      {
        name: `checkpoint after ${newEntries} new entries (ledger.checkpoint), worst of ${runs}`,
        value: worst,
        unit: 'ms',
        baseline: 'raw Ed25519 sign + 1-row insert',
        baselineValue: Math.max(...raw),
        target: { msAtMost: 1_000 },
      },
    ],
    notes: [
      `checkpoints: median ${median.toFixed(1)} ms (sync of the new entries, root, signature, durable insert); the first, over ${first.size.toLocaleString('en')} entries, ${firstMs.toFixed(1)} ms; signed every ${tickMs} ms when serving, so new entries are covered within ${(tickMs + worst).toFixed(0)} ms at worst`,
    ],
  };
}

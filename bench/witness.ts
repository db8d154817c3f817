// Checkpoints cosigned by one local witness (`mdis witness` in a child process, its state fsynced
// before each answer), against the same checkpoints without a witness, alternating in one run: the
// latency a witness adds to publishing a checkpoint.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { inTransaction } from '../src/db/transaction.ts';
import { LedgerService } from '../src/ledger/ledger-service.ts';
import { WitnessClient } from '../src/ledger/witness-client.ts';
import { PrincipalPeople } from '../src/principals/principal-people.ts';
import { openBenchStore } from './_fixtures.ts';
import { freePort, startChild } from './_http.ts';
import { progress, type Suite } from './_measure.ts';
import { act } from './ledger.ts';

const runs = 200;
/** New entries before each checkpoint, as in the ledger suite: a busy instance's 250 ms tick. */
const newEntries = 100;

export const witness: Suite = {
  name: 'witness',
  async run() {
    const store = await openBenchStore();
    const witnessDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdis-bench-witness-'));
    const { ctx } = store;
    const port = await freePort();
    const child = await startChild({
      args: [
        'src/main.ts',
        'witness',
        '--data',
        witnessDir,
        '--port',
        String(port),
        '--log',
        ctx.ledger.verifierKey,
      ],
      env: { MDIS_LOG_LEVEL: 'warn' },
      port,
      readyPath: '/healthz',
    });
    try {
      const witnessName = fs.readFileSync(path.join(witnessDir, 'witness-name'), 'utf8').trim();
      const verifierKey = await (await fetch(`${child.url}/key`)).text();
      // A second instance over the same store, sending its checkpoints to the witness.
      const witnessed = new LedgerService({
        db: ctx.db,
        engine: ctx.store.engine,
        keyring: ctx.keyring,
        origin: ctx.ledger.origin,
        people: new PrincipalPeople(ctx.db),
        now: () => new Date(),
        witnesses: new WitnessClient({
          witnesses: [{ url: child.url, verifierKey: verifierKey.trim() }],
          timeoutMs: 5_000,
          logger: pino({ level: 'warn' }),
        }),
      });
      await witnessed.init();
      progress(`witness: ${runs} checkpoints with and ${runs} without a local witness, alternating…`);
      const plain: number[] = [];
      const cosigned: number[] = [];
      for (let run = 0; run < runs * 2; run++) {
        const ledger = run % 2 === 0 ? ctx.ledger : witnessed;
        await inTransaction(ctx.db, async (trx) => {
          for (let k = 0; k < newEntries; k++) await ledger.append(trx, act(run * newEntries + k));
        });
        const started = performance.now();
        const checkpoint = await ledger.checkpoint();
        (ledger === ctx.ledger ? plain : cosigned).push(performance.now() - started);
        if (ledger === witnessed && !checkpoint.note.includes(`\u2014 ${witnessName} `)) {
          throw new Error(`checkpoint ${checkpoint.size} came back without the witness's cosignature`);
        }
      }
      const p = (values: number[], q: number) =>
        values.sort((a, b) => a - b)[Math.ceil(values.length * q) - 1]!;
      return {
        title: `witness — SQLite (WAL, synchronous=FULL); one local \`mdis witness\` over HTTP (loopback, fsync per cosignature); ${runs} checkpoints each, alternating`,
        rows: [
          {
            name: `checkpoint cosigned by one local witness, p99 of ${runs}`,
            value: p(cosigned, 0.99),
            unit: 'ms',
            baseline: 'the same checkpoint without a witness, p99',
            baselineValue: p(plain, 0.99),
            target: { msAtMost: 1_000 },
          },
        ],
        notes: [
          `added latency: p99 ${(p(cosigned, 0.99) - p(plain, 0.99)).toFixed(1)} ms, median ${(p(cosigned, 0.5) - p(plain, 0.5)).toFixed(1)} ms (with witness: median ${p(cosigned, 0.5).toFixed(1)} ms; without: ${p(plain, 0.5).toFixed(1)} ms); each after ${newEntries} new entries, so each carries a consistency proof from the witness's last size`,
        ],
      };
    } finally {
      await child.stop();
      await store.remove();
      fs.rmSync(witnessDir, { recursive: true, force: true });
    }
  },
};

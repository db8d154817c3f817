// Logged reads: a staff read of a decrypted profile is a subject.read log entry and a row for the
// person in one durable transaction, shared with the reads in flight around it (group commit);
// against the same decrypted reads unlogged, in the same run, on the same SQLite file.
import type { AppContext } from '../src/context.ts';
import type { Principal } from '../src/principals/roles.ts';
import { enrolPeople, openBenchStore, seeding } from './_fixtures.ts';
import { percent, progress, type Row, rates, rounds, type Suite, seconds } from './_measure.ts';

const subjectCount = 2_000;
/** Reads in flight at once, as from a busy registry's staff and tools. */
const inFlight = 64;

export const reads: Suite = {
  name: 'reads',
  async run() {
    const store = await openBenchStore();
    try {
      return await profileReads(store.ctx);
    } finally {
      await store.remove();
    }
  },
};

async function profileReads(ctx: AppContext) {
  progress(`reads: enrolling ${subjectCount.toLocaleString('en')} subjects…`);
  const subjects = await seeding(ctx, () => enrolPeople(ctx, subjectCount));
  const registrar = (await ctx.principals.create({ role: 'registrar', name: 'Bench registry' })).principal;
  const subjectOf = (i: number) => subjects[(i * 7919) % subjects.length]!;
  const logged = (i: number) => read(ctx, registrar, subjectOf(i));
  const unlogged = (i: number) => ctx.subjects.get(subjectOf(i));
  const batch = (op: (i: number) => Promise<unknown>) => (i: number) =>
    Promise.all(Array.from({ length: inFlight }, (_, k) => op(i * inFlight + k)));

  progress('reads: reading profiles…');
  await ctx.ledger.sync();
  const entriesBefore = ctx.ledger.size;
  const cpu = { logged: new CpuShare(), unlogged: new CpuShare() };
  const groups = { ...ctx.profileReads.commitStats };
  const rate = await rates({
    logged: { async: cpu.logged.wrap(batch(logged)) },
    unlogged: { async: cpu.unlogged.wrap(batch(unlogged)) },
  });
  const commits = ctx.profileReads.commitStats.commits - groups.commits;
  const perCommit = (ctx.profileReads.commitStats.units - groups.units) / commits;
  const commitMs = durableCommitMs(ctx);
  const diskShare = (commits * commitMs) / cpu.logged.wallMs;
  await ctx.ledger.sync();
  const loggedReads = (ctx.ledger.size - entriesBefore) / inFlight;
  const readRows = Number(
    (ctx.store.sqlite!.prepare('select count(*) as n from subject_reads').get() as { n: number }).n,
  );
  if (readRows !== ctx.ledger.size - entriesBefore) throw new Error('a read was logged without its row');
  const loggedRate = rate.logged * inFlight;
  const unloggedRate = rate.unlogged * inFlight;
  const rows: Row[] = [
    {
      name: `logged profile reads, ${inFlight} in flight (profileReads.read)`,
      value: loggedRate,
      baseline: 'the same reads unlogged (subjects.get)',
      baselineValue: unloggedRate,
      target: { ratioAtLeast: 0.5 },
    },
  ];
  return {
    title: `reads — SQLite (WAL, synchronous=FULL), ${subjectCount.toLocaleString('en')} subjects; best of ${rounds} alternating rounds, ${seconds} s in all`,
    rows,
    notes: [
      `reads: each decrypts the subject's three attribute groups; logged, each also appends a subject.read entry and a subject_reads row, the ${inFlight} in flight sharing durable commits (${Math.round(loggedReads * inFlight).toLocaleString('en')} reads logged while measured)`,
      `reads: logged, ${perCommit.toFixed(1)} reads per commit; ${commits.toLocaleString('en')} commits × ${commitMs.toFixed(2)} ms (a raw durable 1-row commit on the same file, p50) = ${percent(diskShare)} of the wall time waiting on the disk; process CPU ${percent(cpu.logged.share)} of the wall time (unlogged: ${percent(cpu.unlogged.share)}, no disk wait)`,
      `reads: ${saturated(diskShare, cpu.logged.share, cpu.unlogged.share)}`,
    ],
  };
}

function read(ctx: AppContext, reader: Principal, subject: string) {
  return ctx.profileReads.read(reader, subject, { purpose: 'support' });
}

/**
 * Which side ran out of what. Unlogged reads never wait on the disk: their CPU share below 100% is
 * time the machine gave to others. Logged reads are bound by the larger of the disk and the CPU.
 */
function saturated(disk: number, loggedCpu: number, unloggedCpu: number): string {
  const logged = disk > loggedCpu ? 'the disk (durable commits)' : 'the CPU (decryption, log entries)';
  const shared =
    unloggedCpu < 0.9
      ? `; the process got ${percent(unloggedCpu)} of a core even unlogged: the machine was shared`
      : '';
  return `saturated: unlogged reads the CPU, logged reads ${logged}${shared}`;
}

/** The p50 of a durable 1-row insert transaction on the store's file: what one commit waits. */
function durableCommitMs(ctx: AppContext): number {
  const sqlite = ctx.store.sqlite!;
  sqlite.exec('create table bench_scratch (id integer primary key, at text not null)');
  const insert = sqlite.prepare('insert into bench_scratch (at) values (?)');
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    insert.run(new Date().toISOString());
    times.push(performance.now() - started);
  }
  sqlite.exec('drop table bench_scratch');
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

/** The share of wall time this process spent on CPU while running the wrapped operation. */
class CpuShare {
  #cpuMicros = 0;
  #wallMs = 0;

  wrap<T>(op: (i: number) => Promise<T>): (i: number) => Promise<T> {
    return async (i) => {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      try {
        return await op(i);
      } finally {
        const used = process.cpuUsage(cpu);
        this.#cpuMicros += used.user + used.system;
        this.#wallMs += performance.now() - wall;
      }
    };
  }

  get wallMs(): number {
    return this.#wallMs;
  }

  get share(): number {
    return this.#wallMs === 0 ? 0 : this.#cpuMicros / 1000 / this.#wallMs;
  }
}

// Floods: eligibility over HTTP while eight clients flood the routes that need no token, against
// the same load without the flood, in the same run (DESIGN.md: ≥ 80%); and how much the request
// log writes under the eligibility load in each MDIS_ACCESS_LOG mode. `mdis serve` runs in a
// child; both loads come from autocannon in this process, whose CPU time is reported beside the
// server's so that it shows which side saturated.
import fs from 'node:fs';
import autocannon from 'autocannon';
import { type BenchStore, enrolPeople, openBenchStore, seeding } from './_fixtures.ts';
import { type ChildServer, type LoadResult, load } from './_http.ts';
import { megabytes, percent, progress, type Row, type Suite, shuffle } from './_measure.ts';
import { startMdis } from './enforcement-http.ts';

const settings = {
  subjects: Number(process.env.MDIS_BENCH_FLOOD_SUBJECTS ?? 10_000),
  rotated: 1_000,
  connections: 50,
  flooders: 8,
  /** Seconds of each kind of round; `rounds` of each, alternating, best kept. */
  seconds: 5,
  rounds: 2,
  warmUpSeconds: 2,
  /** Seconds of eligibility load per access-log mode. */
  logSeconds: 10,
};

/** What the flooders ask for, round robin: every kind of public route, and an unknown path. */
const publicPaths = [
  '/v1/transparency/report',
  '/v1/log/checkpoint',
  '/v1/log/key',
  '/v1/log/proof/inclusion?index=0&size=1',
  '/healthz',
  '/openapi.json',
  '/docs/',
  '/',
  '/no-such-file.js',
];

interface Seeded {
  subjects: string[];
  token: string;
}

export const floods: Suite = {
  name: 'floods',
  async run() {
    const store = await openBenchStore();
    try {
      progress(`floods: enrolling ${settings.subjects.toLocaleString('en')} subjects…`);
      const seeded = await seeding(store.ctx, async () => {
        const subjects = await enrolPeople(store.ctx, settings.subjects);
        const service = { role: 'service', name: 'bench airline', actions: ['travel.air'] };
        return { subjects, token: (await store.ctx.principals.create(service)).token };
      });
      await store.close();
      const paths = shuffle([...seeded.subjects])
        .slice(0, settings.rotated)
        .map((subject) => `/v1/eligibility?subject=${subject}&action=travel.air`);
      const flood = await floodRounds(store, seeded, paths);
      const logs = await logVolumes(store, seeded, paths);
      const row: Row = {
        name: `GET /v1/eligibility (${settings.connections} conns) under a flood of public requests (${settings.flooders} conns) req/s`,
        value: flood.flooded.requestsPerSecond,
        baseline: 'the same load, no flood',
        baselineValue: flood.alone.requestsPerSecond,
        target: { ratioAtLeast: 0.8 },
      };
      return {
        title: `floods — ${settings.rounds} alternating rounds of ${settings.seconds} s with and without the flood after ${settings.warmUpSeconds} s, best kept; ${settings.subjects.toLocaleString('en')} subjects, SQLite; default public limit (50/s, bursts of 200, per address: every flooder shares 127.0.0.1)`,
        rows: [row],
        notes: [
          `flood: ${Math.round(flood.floodRate).toLocaleString('en')} public req/s answered, ${percent(flood.limitedShare)} of them 429; p99 of eligibility ${flood.alone.p99Ms} ms alone, ${flood.flooded.p99Ms} ms flooded`,
          `CPU during the flooded rounds (of one core): server ${percent(flood.serverCpu)}, load generator (this process) ${percent(flood.benchCpu)}`,
          `request log under ${settings.logSeconds} s of eligibility load (${settings.connections} conns), per minute at that rate: ${logs
            .map(
              (l) =>
                `${l.mode} ${megabytes(l.bytesPerMinute)} (${Math.round(l.linesPerMinute).toLocaleString('en')} lines, ${Math.round(l.requestsPerSecond).toLocaleString('en')} req/s)`,
            )
            .join('; ')}`,
        ],
      };
    } finally {
      await store.remove();
    }
  },
};

/** CPU seconds (user + system) the process `pid` has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function floodRounds(store: BenchStore, seeded: Seeded, paths: string[]) {
  progress('floods: starting mdis serve…');
  const mdis = await startMdis(store, { MDIS_LOG_LEVEL: 'warn' });
  try {
    const eligibility = checksOn(mdis, seeded, paths);
    await eligibility(settings.warmUpSeconds);
    const alone: LoadResult = { requestsPerSecond: 0, p99Ms: 0 };
    const flooded: LoadResult = { requestsPerSecond: 0, p99Ms: 0 };
    let floodAnswered = 0;
    let floodLimited = 0;
    let floodSeconds = 0;
    let serverCpu = 0;
    let benchCpu = 0;
    for (let round = 1; round <= settings.rounds; round++) {
      progress(`floods: eligibility alone, round ${round}…`);
      keepBest(alone, await eligibility(settings.seconds));
      progress(`floods: eligibility under the flood, round ${round}…`);
      const server0 = cpuSeconds(mdis.pid);
      const bench0 = process.cpuUsage();
      const started = performance.now();
      const [checked, flood] = await Promise.all([
        eligibility(settings.seconds),
        floodFor(mdis, settings.seconds),
      ]);
      const wall = (performance.now() - started) / 1000;
      const bench = process.cpuUsage(bench0);
      serverCpu = Math.max(serverCpu, (cpuSeconds(mdis.pid) - server0) / wall);
      benchCpu = Math.max(benchCpu, (bench.user + bench.system) / 1e6 / wall);
      keepBest(flooded, checked);
      floodAnswered += flood.answered;
      floodLimited += flood.limited;
      floodSeconds += flood.seconds;
    }
    return {
      alone,
      flooded,
      floodRate: floodAnswered / floodSeconds,
      limitedShare: floodLimited / Math.max(floodAnswered, 1),
      serverCpu,
      benchCpu,
    };
  } finally {
    await mdis.stop();
  }
}

/** The eligibility load on `server`, for `seconds`: the service's checks of the rotated subjects. */
function checksOn(server: ChildServer, seeded: Seeded, paths: string[]) {
  return (seconds: number) =>
    load({
      url: server.url,
      paths,
      headers: { authorization: `Bearer ${seeded.token}` },
      connections: settings.connections,
      seconds,
    });
}

function keepBest(best: LoadResult, result: LoadResult): void {
  best.requestsPerSecond = Math.max(best.requestsPerSecond, result.requestsPerSecond);
  best.p99Ms = Math.max(best.p99Ms, result.p99Ms);
}

/** Eight keep-alive clients cycling through the public paths; 429s are expected, errors are not. */
async function floodFor(server: ChildServer, seconds: number) {
  const result = await autocannon({
    url: server.url,
    connections: settings.flooders,
    duration: seconds,
    requests: publicPaths.map((path) => ({ method: 'GET' as const, path })),
  });
  if (result.errors > 0) throw new Error(`the flood met ${result.errors} connection errors`);
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  if (result['5xx'] > 0) throw new Error(`the flood was answered ${result['5xx']} times with a 5xx`);
  const limited = result.statusCodeStats?.['429']?.count ?? 0;
  return { answered, limited: Number(limited), seconds: result.duration };
}

/** Bytes and lines the server writes under the eligibility load, per access-log mode. */
async function logVolumes(store: BenchStore, seeded: Seeded, paths: string[]) {
  const volumes = [];
  for (const mode of ['errors', 'sample', 'all'] as const) {
    progress(`floods: request log in mode ${mode}…`);
    let bytes = 0;
    let lines = 0;
    const mdis = await startMdis(store, { MDIS_ACCESS_LOG: mode, MDIS_LOG_LEVEL: 'info' }, (chunk) => {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    });
    try {
      const checks = checksOn(mdis, seeded, paths);
      await checks(1);
      const [bytes0, lines0] = [bytes, lines];
      const result = await checks(settings.logSeconds);
      const perMinute = 60 / settings.logSeconds;
      volumes.push({
        mode,
        bytesPerMinute: (bytes - bytes0) * perMinute,
        linesPerMinute: (lines - lines0) * perMinute,
        requestsPerSecond: result.requestsPerSecond,
      });
    } finally {
      await mdis.stop();
    }
  }
  return volumes;
}

// Eligibility over HTTP: `mdis serve` in a child process on a store filled here, against a bare
// node:http server answering the same JSON, both loaded by the same generator from this process.
import type { AppContext } from '../src/context.ts';
import type { NewSanction } from '../src/enforcement/sanction-service.ts';
import { type BenchStore, enrolPeople, openBenchStore, pick, seeding, worlds } from './_fixtures.ts';
import { type ChildServer, freePort, type LoadResult, load, startBareServer, startChild } from './_http.ts';
import { progress, type Row, shuffle } from './_measure.ts';

/** `seconds` of load on each server in all, in `rounds` alternating rounds. */
export const http = {
  subjects: 10_000,
  rotated: 1_000,
  connections: 50,
  seconds: 10,
  rounds: 2,
  warmUpSeconds: 2,
};
const sanctionedShare = 0.05;
const eligibleBody = '{"allowed":true,"reason":"eligible","sanctionIds":[]}';

interface Seeded {
  subjects: string[];
  sanctioned: string[];
  /** A service principal that may check travel.air. */
  token: string;
}

export async function checksOverHttp(): Promise<{ rows: Row[]; notes: string[] }> {
  const store = await openBenchStore();
  try {
    const seeded = await seeding(store.ctx, () => seed(store.ctx));
    await store.close();
    progress('enforcement: starting mdis serve and a bare node:http server…');
    const mdis = await startMdis(store);
    try {
      await expectAnswers(mdis, seeded);
      const bare = await startBareServer(await freePort(), eligibleBody);
      const results = await alternate({ mdis, bare }, seeded).finally(() => bare.stop());
      return {
        rows: rows(results.mdis, results.bare),
        notes: [
          `HTTP: ${http.subjects.toLocaleString('en')} subjects, ${seeded.sanctioned.length} sanctioned, ${http.rotated} of them rotated through the requests; autocannon in the bench process, servers in children; req/s the best and p99 the worst of ${http.rounds} alternating rounds`,
        ],
      };
    } finally {
      await mdis.stop();
    }
  } finally {
    await store.remove();
  }
}

/**
 * Warms each server up, then loads them in alternating rounds; keeps the best rate and the worst
 * p99 of each.
 */
async function alternate(
  servers: Record<'mdis' | 'bare', ChildServer>,
  seeded: Seeded,
): Promise<Record<'mdis' | 'bare', LoadResult>> {
  const paths = shuffle([...seeded.subjects])
    .slice(0, http.rotated)
    .map((subject) => `/v1/eligibility?subject=${subject}&action=travel.air`);
  const headers = { authorization: `Bearer ${seeded.token}` };
  const run = (server: ChildServer, seconds: number) =>
    load({ url: server.url, paths, headers, connections: http.connections, seconds });
  const names = ['bare', 'mdis'] as const;
  const results = { bare: { requestsPerSecond: 0, p99Ms: 0 }, mdis: { requestsPerSecond: 0, p99Ms: 0 } };
  for (const name of names) {
    progress(`enforcement: warming ${name} up…`);
    await run(servers[name], http.warmUpSeconds);
  }
  for (let round = 1; round <= http.rounds; round++) {
    for (const name of names) {
      progress(`enforcement: loading ${name}, round ${round}…`);
      const result = await run(servers[name], http.seconds / http.rounds);
      results[name].requestsPerSecond = Math.max(results[name].requestsPerSecond, result.requestsPerSecond);
      results[name].p99Ms = Math.max(results[name].p99Ms, result.p99Ms);
    }
  }
  return results;
}

async function seed(ctx: AppContext): Promise<Seeded> {
  progress(`enforcement: enrolling ${http.subjects.toLocaleString('en')} subjects for the server…`);
  for (const id of worlds) await ctx.worlds.create({ id, name: id }, 'bench');
  const subjects = await enrolPeople(ctx, http.subjects);
  const sanctioned = subjects.slice(0, subjects.length * sanctionedShare);
  for (const [i, subject] of sanctioned.entries())
    await ctx.sanctions.impose(sanctionOf(i, subject), 'bench');
  const airline = { role: 'service', name: 'bench airline', actions: ['travel.air'] };
  const { token } = await ctx.principals.create(airline);
  return { subjects, sanctioned, token };
}

/** Mostly travel restrictions, some suspensions (which do not deny travel), a few bans. */
function sanctionOf(i: number, subject: string): NewSanction {
  const reason = 'bench: chargeback fraud';
  if (i % 50 === 0) return { subject, kind: 'ban', reason, source: 'manual' };
  if (i % 3 === 0) {
    return { subject, kind: 'suspension', world: pick(worlds), days: 7, reason, source: 'manual' };
  }
  return { subject, kind: 'restriction', actions: ['travel.air'], reason, source: 'manual' };
}

/** `mdis serve` on the bench store, its per-principal limit out of the way; `env` adds settings. */
export async function startMdis(
  store: BenchStore,
  env: Record<string, string> = { MDIS_LOG_LEVEL: 'warn' },
  onStdout?: (chunk: Buffer) => void,
): Promise<ChildServer> {
  const port = await freePort();
  return startChild({
    args: ['src/main.ts', 'serve', '--port', String(port), '--data', store.dataDir],
    env: {
      MDIS_MASTER_KEY: store.masterKey.toString('hex'),
      MDIS_RATE_LIMIT_PER_SECOND: '1000000000',
      MDIS_RATE_LIMIT_BURST: '1000000000',
      ...env,
    },
    port,
    readyPath: '/healthz',
    onStdout,
  });
}

/** The child answers from the store filled here: a restricted subject is refused, a clean one not. */
async function expectAnswers(mdis: ChildServer, seeded: Seeded): Promise<void> {
  const ask = async (subject: string) => {
    const response = await fetch(`${mdis.url}/v1/eligibility?subject=${subject}&action=travel.air`, {
      headers: { authorization: `Bearer ${seeded.token}` },
    });
    return { status: response.status, body: (await response.json()) as { allowed?: boolean } };
  };
  const restricted = await ask(seeded.sanctioned[1]!);
  const clean = await ask(seeded.subjects.at(-1)!);
  if (restricted.body.allowed !== false || clean.body.allowed !== true) {
    throw new Error(`unexpected eligibility answers: ${JSON.stringify({ restricted, clean })}`);
  }
}

function rows(mdis: LoadResult, bare: LoadResult): Row[] {
  const name = `GET /v1/eligibility (${http.connections} conns)`;
  const baseline = 'bare node:http, same JSON';
  return [
    {
      name: `${name} req/s`,
      value: mdis.requestsPerSecond,
      baseline,
      baselineValue: bare.requestsPerSecond,
      target: { ratioAtLeast: 0.35 },
    },
    {
      name: `${name} p99`,
      value: mdis.p99Ms,
      unit: 'ms',
      baseline,
      baselineValue: bare.p99Ms,
      target: { msAtMost: 50 },
    },
  ];
}

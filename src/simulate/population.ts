import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { type AppContext, createContext } from '../context.ts';
import type { CaseStatus } from '../db/tables/cases.ts';
import { StoreNotEmptyError, ValidationError } from '../errors.ts';
import { ensureFirstAdmin } from '../principals/first-admin.ts';
import type { Principal } from '../principals/roles.ts';
import { Cast, simulatedWorlds } from './cast.ts';
import { SimClock, simulatedYear } from './clock.ts';
import { maxSubjects } from './profiles.ts';
import { type ScheduledAct, type Tally, Timeline } from './timeline.ts';

export interface SimulationPlan {
  /** How many subjects to enrol (about 90% persons, 8% organisations, 2% agencies). */
  subjects: number;
  /** How many conduct events the worlds send over the year. */
  events: number;
  /** The same seed gives the same population and history. */
  seed: number;
  onProgress?: (progress: SimulationProgress) => void;
  /** Acts of the caller's own (the demo's), given the simulation's actors and worlds. */
  extras?: (scene: SimulationScene) => void;
}

/** Who acts in the simulation, for a caller's extra acts. */
export interface SimulationScene {
  actors: { operator: string; registrar: string; moderator: string; appeals: string };
  /** The platform principal of each simulated world, in the order of `simulatedWorlds`. */
  platforms: Principal[];
  /** Their bearer tokens, in the same order. */
  platformTokens: string[];
  year: { start: number; end: number; days: number };
  /** Plays an act at its time among the simulation's; an act may schedule another for a later day. */
  schedule: (act: ScheduledAct) => void;
}

export interface SimulationProgress {
  subjects: number;
  events: number;
  totalSubjects: number;
  totalEvents: number;
}

export interface SimulationResult extends Tally {
  seed: number;
  /** The simulated year, as dates. */
  from: string;
  to: string;
  worlds: number;
  cases: Record<CaseStatus, number>;
  /** Sanctions imposed, by kind (decisions' and the strike ladder's), and how many still hold. */
  sanctions: { byKind: Record<string, number>; active: number };
  strikes: number;
  grades: { grade: string; count: number }[];
  /** Milliseconds spent planning the cast, enrolling, sending events, on cases, expiring, rescoring. */
  timings: Record<'cast' | 'enrol' | 'events' | 'cases' | 'expiry' | 'scoring', number>;
}

/**
 * Fills the store of `config` with a synthetic population and a year of its history, through the
 * services (so scores, strikes, sanctions and histograms are what the services make of it). The
 * store must hold no subjects yet. Like `mdis serve`, it leaves a first admin token in the data dir.
 */
export async function simulate(
  target: { config: Config; logger?: Logger },
  plan: SimulationPlan,
): Promise<SimulationResult> {
  checkPlan(plan);
  const year = simulatedYear();
  const clock = new SimClock(year.start);
  const ctx = await createContext(target.config, { logger: target.logger, now: clock.now });
  // A synthetic store is made again, not recovered: a run cut short leaves a store that a second
  // run refuses anyway. So this connection skips the per-commit sync of SQLite (2–3× faster on a
  // real disk), and the finished file is checkpointed and synced once before simulate returns.
  const sqlite = ctx.store.sqlite;
  sqlite?.pragma('synchronous = OFF');
  try {
    await ensureFirstAdmin(ctx.principals, target.config.dataDir);
    const result = await simulateInto(ctx, clock, plan, year);
    sqlite?.pragma('synchronous = FULL');
    sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  } finally {
    await ctx.close();
  }
}

/**
 * The same into a context the caller built with `now: clock.now` (tests, benchmarks). The clock is
 * left at the end of the simulated year (the last midnight, UTC).
 */
export async function simulateInto(
  ctx: AppContext,
  clock: SimClock,
  plan: SimulationPlan,
  year = simulatedYear(),
): Promise<SimulationResult> {
  checkPlan(plan);
  await refuseFilledStore(ctx);
  clock.set(year.start);
  let started = performance.now();
  const cast = new Cast(plan.seed, plan.subjects, year.start);
  const castMs = performance.now() - started;
  const create = async (role: string, name: string, actor?: string) =>
    (await ctx.principals.create({ role, name }, { actor })).principal.id;
  const operator = await create('admin', 'simulation operator');
  const actors = {
    operator,
    registrar: await create('registrar', 'simulated registry office', operator),
    moderator: await create('moderator', 'simulated moderation desk', operator),
    // Appeals are heard by someone other than who decided (issue 14).
    appeals: await create('moderator', 'simulated appeals desk', operator),
  };
  const platforms: Principal[] = [];
  const platformTokens: string[] = [];
  for (const world of simulatedWorlds) {
    const { platform } = await ctx.worlds.create({ id: world.id, name: world.name }, operator);
    platforms.push((await ctx.principals.authenticate(platform.token))!);
    platformTokens.push(platform.token);
  }
  const timeline = new Timeline({
    ctx,
    clock,
    cast,
    seed: plan.seed,
    events: plan.events,
    year,
    actors,
    platforms,
    extras:
      plan.extras && ((schedule) => plan.extras?.({ actors, platforms, platformTokens, year, schedule })),
    onProgress: (subjects, events) =>
      plan.onProgress?.({ subjects, events, totalSubjects: plan.subjects, totalEvents: plan.events }),
  });
  const tally = await timeline.run();
  // The year is over: what ended by now has ended, and every score is as of today.
  clock.set(year.end);
  started = performance.now();
  while ((await ctx.sanctions.expireDue()) > 0) {
    // expireDue takes up to 500 at a time
  }
  await ctx.credit.refreshStale();
  const scoringMs = performance.now() - started;
  // Signed as a serving instance would have: `mdis log verify` right after finds its checkpoint.
  await ctx.ledger.checkpoint();
  return {
    ...tally,
    seed: plan.seed,
    from: new Date(year.start).toISOString().slice(0, 10),
    to: new Date(year.end - 1).toISOString().slice(0, 10),
    worlds: platforms.length,
    ...(await summarise(ctx)),
    timings: { cast: castMs, ...timeline.timings, scoring: scoringMs },
  };
}

/** Checks a plan's numbers; each error names its field. */
export function checkPlan(plan: Pick<SimulationPlan, 'subjects' | 'events' | 'seed'>): void {
  if (!Number.isSafeInteger(plan.subjects) || plan.subjects < 1 || plan.subjects > maxSubjects) {
    throw new ValidationError('subjects', `must be an integer from 1 to ${maxSubjects}`);
  }
  if (!Number.isSafeInteger(plan.events) || plan.events < 1) {
    throw new ValidationError('events', 'must be a positive integer');
  }
  if (!Number.isSafeInteger(plan.seed)) throw new ValidationError('seed', 'must be an integer');
}

// A second population on top of the first would collide on world ids and mix two histories.
async function refuseFilledStore(ctx: AppContext): Promise<void> {
  const subject = await ctx.db.selectFrom('subjects').select('id').limit(1).executeTakeFirst();
  const world = await ctx.db.selectFrom('worlds').select('id').limit(1).executeTakeFirst();
  if (subject !== undefined || world !== undefined) {
    throw new StoreNotEmptyError(ctx.store.location);
  }
}

async function summarise(ctx: AppContext) {
  const cases = await ctx.db
    .selectFrom('cases')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const sanctions = await ctx.db
    .selectFrom('sanctions')
    .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['kind', 'status'])
    .execute();
  const strikes = await ctx.db
    .selectFrom('strikes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const byKind: Record<string, number> = {};
  let active = 0;
  for (const row of sanctions) {
    byKind[row.kind] = (byKind[row.kind] ?? 0) + Number(row.n);
    if (row.status === 'active') active += Number(row.n);
  }
  const caseCounts: Record<CaseStatus, number> = { open: 0, decided: 0, appealed: 0, closed: 0 };
  for (const row of cases) caseCounts[row.status] = Number(row.n);
  const { grades } = await ctx.creditReader.distribution();
  return {
    cases: caseCounts,
    sanctions: { byKind, active },
    strikes: Number(strikes.n),
    grades: grades.map(({ grade, count }) => ({ grade, count })),
  };
}

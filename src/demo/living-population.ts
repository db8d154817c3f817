import type { AppContext } from '../context.ts';
import { openStore, type StoreOptions } from '../db/database.ts';
import { simulatedWorlds } from '../simulate/cast.ts';
import { SimClock } from '../simulate/clock.ts';
import { type SimulationResult, simulateInto } from '../simulate/population.ts';
import { dayMs } from '../util/time.ts';
import { planAccess } from './living-access.ts';
import { planConduct } from './living-conduct.ts';
import { planCrowd } from './living-crowd.ts';
import { LivingScene } from './living-scene.ts';
import { PlazaReceiver, planWebhooks } from './living-webhooks.ts';
import { type DemoExisting, plazaCallback } from './population.ts';
import { storeIsNew } from './store-origin.ts';

/**
 * The demo's population: a few thousand subjects, sized so that `npm start` on a new store is
 * ready within 10 s on a 2-core machine (see the issue 17 report for the figures).
 */
export const livingPlan = { subjects: 2500, events: 2000, seed: 17 } as const;

/**
 * The clock of `serve --demo` on a new store: the simulated year's until the population is made,
 * then the real one. Whatever the store records at start (keys, the policy in force, the first
 * admin) is dated at the year's start, before the history that follows it.
 */
export class DemoClock {
  readonly year: { start: number; end: number; days: number };
  readonly sim: SimClock;
  #live = false;

  readonly #offsetMs: number;

  /** `offsetMs`: `--clock-offset`, which moves the year's end and the live clock alike. */
  constructor(offsetMs = 0) {
    this.#offsetMs = offsetMs;
    const end = Date.now() + offsetMs;
    this.year = { start: end - 365 * dayMs, end, days: 365 };
    this.sim = new SimClock(this.year.start);
  }

  readonly now = (): Date => (this.#live ? new Date(Date.now() + this.#offsetMs) : this.sim.now());

  goLive(): void {
    this.#live = true;
  }
}

/** Whether the store at `options` holds no principal yet: `serve --demo` fills only such a store. */
export async function storeIsNewAt(options: StoreOptions): Promise<boolean> {
  const store = await openStore(options);
  try {
    return await storeIsNew(store.db);
  } finally {
    await store.close();
  }
}

export interface LivingPopulation {
  result: SimulationResult;
  /**
   * The sign-ins of the population the demo's people take rather than make: the authority that
   * asked for its disclosures and the Plaza's platform, and the Plaza's OpenID Connect secret.
   */
  existing: DemoExisting;
}

/**
 * Fills a new store with the demo's population and its year of history, ending now, through the
 * services (so the ledger records every act); `serve` has marked the store as the demo's. The clock then
 * goes live: what the demo's people do next comes after the history.
 */
export async function loadLivingPopulation(ctx: AppContext, clock: DemoClock): Promise<LivingPopulation> {
  // As `mdis simulate`: a store cut short is made again, not recovered; synced once at the end.
  const sqlite = ctx.store.sqlite;
  sqlite?.pragma('synchronous = OFF');
  let scene: LivingScene | undefined;
  const receiver = new PlazaReceiver();
  try {
    const result = await simulateInto(
      ctx,
      clock.sim,
      {
        ...livingPlan,
        extras: (sim) => {
          const made = new LivingScene(ctx, sim);
          scene = made;
          made.at(200, async () => {
            await made.setUp();
            planConduct(made);
            planCrowd(made);
            planAccess(made);
            planWebhooks(made, receiver);
          });
        },
      },
      clock.year,
    );
    const timings = Object.fromEntries(Object.entries(result.timings).map(([k, ms]) => [k, Math.round(ms)]));
    ctx.logger.info(
      { subjects: livingPlan.subjects, events: livingPlan.events, from: result.from, timings },
      'new store: the demo population and its year of history are made',
    );
    // What the year's end expired reaches the Plaza before it revokes its subscription.
    await receiver.retire({ ctx });
    // The emergency reviews past their deadline are in the log before anyone reads them.
    await ctx.oversight.logOverdue();
    await ctx.ledger.checkpoint();
    // The simulated Plaza is the demo's: its people sign in to it through mdis.
    const { sim, authority } = scene!;
    const plaza = simulatedWorlds.findIndex((w) => w.id === 'plaza');
    const oidc = await ctx.oidc.clients.register(
      'plaza',
      { redirectUris: [plazaCallback] },
      sim.actors.operator,
    );
    return {
      result,
      existing: {
        tokens: { authority: authority.token, platform: sim.platformTokens[plaza]! },
        plazaSecret: oidc.clientSecret!,
      },
    };
  } finally {
    await receiver.close();
    sqlite?.pragma('synchronous = FULL');
    clock.goLive();
  }
}

import { createHash } from 'node:crypto';
import type { Decision } from '../conduct/decision-service.ts';
import type { AppContext } from '../context.ts';
import type { Principal } from '../principals/roles.ts';
import { simulatedWorlds } from '../simulate/cast.ts';
import type { SimulationScene } from '../simulate/population.ts';
import { dayMs, hourMs } from '../util/time.ts';
import { reportDescription } from './living-reports.ts';

/** An avatar of a person in the simulated population, as the demo's acts pick them. */
export interface Someone {
  world: string;
  handle: string;
  subject: string;
}

/** How many people the demo's acts single out, by what happens to them. */
export const poolSize = 320;

/**
 * What the demo's acts share: the services, the simulation's actors, the people they pick (persons
 * enrolled when the registry opened, one avatar each) and the principals they make on the way.
 * Every write goes through a service, at the simulated time of its act.
 */
export class LivingScene {
  readonly ctx: AppContext;
  readonly sim: SimulationScene;
  /** The authority the demo's own authority sign-in is: it sees the disclosures it asked for. */
  authority!: { principal: Principal; token: string };
  oversight!: Principal;
  /** A second appeals desk with a principal object: appeals of sanctions are decided as one. */
  appealsDesk!: Principal;
  /** The registry's records desk, whose reads of profiles (with a purpose) are logged. */
  registry!: Principal;
  pool: Someone[] = [];
  /** The other persons enrolled by then, in the order they joined: the crowd the pool stands out of. */
  crowd: Someone[] = [];
  readonly #byWorld = new Map<string, Someone[]>();
  readonly #subjectPrincipals = new Map<string, string>();
  #serial = 0;
  #reports = 0;

  constructor(ctx: AppContext, sim: SimulationScene) {
    this.ctx = ctx;
    this.sim = sim;
  }

  /** The time `days` (and `hours`) before the simulated history ends, which is now. */
  ago(days: number, hours = 0): number {
    return this.sim.year.end - days * dayMs - hours * hourMs;
  }

  at(daysAgo: number, run: () => Promise<void>, hours = 0): void {
    this.sim.schedule({ at: this.ago(daysAgo, hours), run });
  }

  now(): Date {
    return this.ctx.now();
  }

  /** The first act: the principals of the demo's acts, and the people they pick. */
  async setUp(): Promise<void> {
    const { ctx } = this;
    const actor = { actor: this.sim.actors.operator };
    const authority = await ctx.principals.create(
      { role: 'authority', name: 'Metropolitan police', jurisdiction: 'GB' },
      actor,
    );
    this.authority = { principal: authority.principal, token: authority.token };
    const oversight = await ctx.principals.create(
      { role: 'oversight', name: 'Investigatory Powers Commissioner' },
      actor,
    );
    this.oversight = oversight.principal;
    const desk = await ctx.principals.create({ role: 'moderator', name: 'Sanctions review desk' }, actor);
    this.appealsDesk = desk.principal;
    const records = await ctx.principals.create({ role: 'registrar', name: 'Registry records desk' }, actor);
    this.registry = records.principal;
    const rows = await ctx.db
      .selectFrom('avatars')
      .innerJoin('subjects', 'subjects.id', 'avatars.subject_id')
      .select(['avatars.world_id as world', 'avatars.handle', 'avatars.subject_id as subject'])
      .where('subjects.kind', '=', 'person')
      .orderBy('avatars.bound_at')
      .orderBy('avatars.handle')
      .execute();
    const seen = new Set<string>();
    for (const row of rows) {
      const list = this.#byWorld.get(row.world) ?? [];
      this.#byWorld.set(row.world, list);
      list.push(row);
      if (seen.has(row.subject)) continue;
      seen.add(row.subject);
      (this.pool.length < poolSize ? this.pool : this.crowd).push(row);
    }
    if (this.pool.length < poolSize) {
      throw new Error(
        `the demo needs ${poolSize} persons with avatars, the simulation made ${this.pool.length}`,
      );
    }
  }

  platform(world: string): Principal {
    return this.sim.platforms[simulatedWorlds.findIndex((w) => w.id === world)]!;
  }

  /**
   * Another avatar of the same world reports `target`, in words of its own (`description`, or the
   * category's next): the case the report is in. The reporters take turns among the world's avatars.
   */
  async report(target: Someone, category: string, description?: string): Promise<string> {
    const n = this.#reports++;
    const avatars = this.#byWorld.get(target.world)!;
    const from = (n * 37) % avatars.length;
    const reporter = [...avatars.slice(from), ...avatars.slice(0, from)].find(
      (a) => a.subject !== target.subject,
    )!;
    const sha256 = createHash('sha256')
      .update(`demo-evidence-${this.#serial++}`)
      .digest('hex');
    const filed = await this.ctx.reports.file(
      {
        world: target.world,
        handle: target.handle,
        category,
        reporter: reporter.handle,
        description: description ?? reportDescription(category, n),
        evidence: [{ sha256, uri: `https://evidence.example.com/${sha256.slice(0, 16)}` }],
        occurredAt: new Date(this.ctx.now().getTime() - 2 * hourMs).toISOString(),
      },
      this.platform(target.world).id,
    );
    return filed.caseId;
  }

  async decide(caseId: string, decision: Decision): Promise<void> {
    await this.ctx.decisions.decide(caseId, decision, this.sim.actors.moderator);
  }

  /**
   * The subject's own sign-in, made the first time it acts (to appeal, to correct). Principals'
   * names are stored and listed in the clear: it is named after the avatar, never the person.
   */
  async subjectPrincipal(who: Someone): Promise<string> {
    const { subject } = who;
    let id = this.#subjectPrincipals.get(subject);
    if (id === undefined) {
      const made = await this.ctx.principals.create(
        { role: 'subject', subject, name: `subject of ${who.handle} (${who.world})` },
        { actor: this.sim.actors.operator },
      );
      id = made.principal.id;
      this.#subjectPrincipals.set(subject, id);
    }
    return id;
  }

  /** Conduct events the worlds send about these people now, batched per world. */
  async sendEvents(events: { who: Someone; category: string; severity: number }[]): Promise<void> {
    const byWorld = new Map<string, object[]>();
    const occurredAt = new Date(this.ctx.now().getTime() - hourMs).toISOString();
    for (const { who, category, severity } of events) {
      const list = byWorld.get(who.world) ?? [];
      byWorld.set(who.world, list);
      list.push({
        id: `demo-${this.#serial++}`,
        world: who.world,
        handle: who.handle,
        category,
        severity,
        occurredAt,
      });
    }
    for (const [world, batch] of byWorld) {
      await this.ctx.events.ingest(batch, this.platform(world), { atomic: false });
    }
  }
}

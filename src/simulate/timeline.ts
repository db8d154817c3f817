import type { Decision } from '../conduct/decision-service.ts';
import { type ConductEventInput, maxEventBatch } from '../conduct/event-service.ts';
import type { AppContext } from '../context.ts';
import { CaseNotOpenError } from '../errors.ts';
import type { SubjectKind } from '../identity/attributes.ts';
import type { Principal } from '../principals/roles.ts';
import { dayMs, minuteMs } from '../util/time.ts';
import { type Cast, simulatedWorlds } from './cast.ts';
import type { SimClock } from './clock.ts';
import { ConductMix, negativeShare } from './conduct-mix.ts';
import { type Incident, planIncident } from './incidents.ts';
import { subjectProfile } from './profiles.ts';
import { Random } from './random.ts';
import { Slots, slotMs, slotsPerDay } from './slots.ts';

/** Incidents reported to moderators per conduct event (each brings one to five reports). */
const incidentRate = 0.012;

/** What the simulation did, counted as it went. */
export interface Tally {
  subjects: Record<SubjectKind, number>;
  avatars: number;
  events: { accepted: number; duplicate: number; rejected: number };
  reports: { filed: number; duplicate: number };
  decisions: { upheld: number; dismissed: number };
  appeals: { filed: number; upheld: number; overturned: number };
}

export interface TimelineOptions {
  ctx: AppContext;
  clock: SimClock;
  cast: Cast;
  seed: number;
  events: number;
  year: { start: number; end: number; days: number };
  actors: { operator: string; registrar: string; moderator: string; appeals: string };
  /** The platform principal of each simulated world, in the order of `simulatedWorlds`. */
  platforms: Principal[];
  onProgress?: (subjects: number, events: number) => void;
  /**
   * Acts of the caller's own (the demo's), played in time order among the simulation's: given the
   * function that schedules one, which an act may call for a later day.
   */
  extras?: (schedule: (act: ScheduledAct) => void) => void;
}

/** Something done through the services at a time of the simulated year. */
export interface ScheduledAct {
  at: number;
  run: () => Promise<void>;
}

type Work = 'events' | 'cases' | 'expiry';

interface Action {
  at: number;
  seq: number;
  work: Work;
  run: () => Promise<void>;
}

/**
 * Plays the simulated year through the services, in time order: subjects enrol and bind their
 * avatars as they join, worlds send conduct events four times a day, users report incidents that
 * moderators decide days later, and some subjects appeal. Everything random is drawn from streams
 * named by the seed and the slot, never from what the store answered, so a seed gives one history.
 */
export class Timeline {
  readonly tally: Tally = {
    subjects: { person: 0, organisation: 0, agency: 0 },
    avatars: 0,
    events: { accepted: 0, duplicate: 0, rejected: 0 },
    reports: { filed: 0, duplicate: 0 },
    decisions: { upheld: 0, dismissed: 0 },
    appeals: { filed: 0, upheld: 0, overturned: 0 },
  };
  /** Milliseconds spent in each kind of work, for throughput figures. */
  readonly timings = { enrol: 0, events: 0, cases: 0, expiry: 0 };
  readonly #o: TimelineOptions;
  readonly #mix: ConductMix;
  /** Actions by day of the year; a day's list is sorted and run when the day comes. */
  readonly #agenda = new Map<number, Action[]>();
  readonly #decidedCases = new Set<string>();
  readonly #subjectIds: string[] = [];
  readonly #subjectPrincipals = new Map<string, string>();
  readonly #slots: Slots;
  #today = -1;
  #seq = 0;
  #eventSerial = 0;
  #eventsSent = 0;

  constructor(options: TimelineOptions) {
    this.#o = options;
    this.#mix = new ConductMix(options.ctx.policy);
    const incidents = this.#mix.has('negative') ? Math.round(options.events * incidentRate) : 0;
    this.#slots = new Slots(options.cast, options.year, { events: options.events, incidents });
    options.extras?.((act) => this.#schedule(act.at, 'cases', act.run));
  }

  async run(): Promise<Tally> {
    const { year } = this.#o;
    for (let day = 0; day < year.days; day++) {
      // Day 0 is the registry's opening: enrolment only. Conduct starts the day after.
      if (day > 0) this.#planDay(day);
      this.#today = day;
      const actions = (this.#agenda.get(day) ?? []).sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.#agenda.delete(day);
      for (const action of actions) {
        await this.#enrolUntil(action.at);
        this.#o.clock.set(action.at);
        const started = performance.now();
        await action.run();
        this.timings[action.work] += performance.now() - started;
      }
      await this.#enrolUntil(year.start + (day + 1) * dayMs - 1);
    }
    this.#o.onProgress?.(this.#subjectIds.length, this.#eventsSent);
    return this.tally;
  }

  #planDay(day: number): void {
    const { seed, cast, ctx } = this.#o;
    this.#schedule(this.#o.year.start + day * dayMs, 'expiry', () => this.#expireSanctions());
    for (let slot = (day - 1) * slotsPerDay; slot < day * slotsPerDay; slot++) {
      const start = this.#slots.start(slot);
      const events = this.#slots.events[slot]!;
      if (events > 0)
        this.#schedule(start + slotMs - minuteMs, 'events', () => this.#sendEvents(slot, events));
      const rng = new Random(seed, 'incidents', slot);
      const present = cast.avatarsBefore(start);
      for (let i = 0; i < this.#slots.incidents[slot]!; i++) {
        const incident = planIncident(rng, { cast, mix: this.#mix, policy: ctx.policy, start, present });
        for (const report of incident.reports) {
          this.#schedule(report.at, 'cases', () => this.#fileReport(incident, report));
        }
        this.#schedule(incident.decideAt, 'cases', () => this.#decide(incident));
      }
    }
  }

  /** Adds an action to its day; one at or after the end of the year never happens. */
  #schedule(at: number, work: Work, run: () => Promise<void>): void {
    if (at >= this.#o.year.end) return;
    const day = Math.floor((at - this.#o.year.start) / dayMs);
    if (day <= this.#today) throw new Error(`simulation bug: an action for day ${day} came after it ran`);
    const list = this.#agenda.get(day) ?? [];
    this.#agenda.set(day, list);
    list.push({ at, seq: this.#seq++, work, run });
  }

  async #enrolUntil(time: number): Promise<void> {
    const started = performance.now();
    const { cast, clock, ctx, seed, actors, platforms } = this.#o;
    for (let i = this.#subjectIds.length; i < cast.size && cast.enrolAt(i) <= time; i++) {
      clock.set(cast.enrolAt(i));
      const profile = subjectProfile(seed, i);
      const { id } = await ctx.subjects.enrol(profile.enrolment, actors.registrar);
      this.#subjectIds.push(id);
      this.tally.subjects[profile.kind]++;
      for (let avatar = cast.avatarStart[i]!; avatar < cast.avatarStart[i + 1]!; avatar++) {
        const world = cast.avatarWorld[avatar]!;
        await ctx.avatars.bind(
          { world: simulatedWorlds[world]!.id, handle: cast.avatarHandle[avatar]!, subject: id },
          platforms[world]!.id,
        );
        this.tally.avatars++;
      }
      if (this.#subjectIds.length % 256 === 0)
        this.#o.onProgress?.(this.#subjectIds.length, this.#eventsSent);
    }
    this.timings.enrol += performance.now() - started;
  }

  async #sendEvents(slot: number, count: number): Promise<void> {
    const { seed, cast, ctx, platforms } = this.#o;
    const rng = new Random(seed, 'events', slot);
    const start = this.#slots.start(slot);
    const present = cast.avatarsBefore(start);
    const byWorld: ConductEventInput[][] = simulatedWorlds.map(() => []);
    const positive = this.#mix.has('positive');
    for (let i = 0; i < count; i++) {
      const negative = !positive || rng.chance(negativeShare);
      const avatar = cast.pickAvatar(rng, present, negative ? 'misconduct' : 'activity');
      const kind = cast.kindOf(cast.avatarSubject[avatar]!);
      const { category, severity } = this.#mix.draw(rng, kind, negative ? 'negative' : 'positive');
      const world = cast.avatarWorld[avatar]!;
      byWorld[world]!.push({
        id: `sim-${seed}-${this.#eventSerial++}`,
        world: simulatedWorlds[world]!.id,
        handle: cast.avatarHandle[avatar]!,
        category,
        severity,
        occurredAt: new Date(start + rng.int(slotMs - 10 * minuteMs)).toISOString(),
      });
    }
    for (const [world, events] of byWorld.entries()) {
      for (let from = 0; from < events.length; from += maxEventBatch) {
        const batch = events.slice(from, from + maxEventBatch);
        const { results } = await ctx.events.ingest(batch, platforms[world]!, { atomic: false });
        for (const result of results) this.tally.events[result.status]++;
        this.#eventsSent += batch.length;
        this.#o.onProgress?.(this.#subjectIds.length, this.#eventsSent);
      }
    }
  }

  async #fileReport(incident: Incident, report: Incident['reports'][number]): Promise<void> {
    const { cast, ctx, platforms } = this.#o;
    const filed = await ctx.reports.file(
      {
        world: simulatedWorlds[incident.world]!.id,
        handle: cast.avatarHandle[incident.target]!,
        category: incident.category,
        reporter: report.reporter,
        description: report.description,
        evidence: report.evidence,
        occurredAt: new Date(incident.at).toISOString(),
      },
      platforms[incident.world]!.id,
    );
    this.tally.reports[filed.duplicate ? 'duplicate' : 'filed']++;
    // The latest case: one decided meanwhile closed, and later reports opened a new one.
    incident.caseId = filed.caseId;
  }

  async #decide(incident: Incident): Promise<void> {
    const caseId = incident.caseId;
    // Several incidents may gather into one open case: the first decision due takes it.
    if (caseId === undefined || this.#decidedCases.has(caseId)) return;
    this.#decidedCases.add(caseId);
    const decision: Decision = incident.decision;
    try {
      await this.#o.ctx.decisions.decide(caseId, decision, this.#o.actors.moderator);
    } catch (error) {
      // A caller's extra act may have decided the case first: it is no longer this incident's.
      if (error instanceof CaseNotOpenError) return;
      throw error;
    }
    this.tally.decisions[decision.outcome]++;
    const appeal = incident.appeal;
    if (decision.outcome !== 'upheld' || appeal === undefined) return;
    const subject = this.#subjectIds[this.#o.cast.avatarSubject[incident.target]!]!;
    this.#schedule(this.#o.clock.ms + appeal.after, 'cases', async () => {
      const principal = await this.#subjectPrincipal(subject);
      await this.#o.ctx.decisions.appeal(caseId, appeal.reason, subject, principal);
      this.tally.appeals.filed++;
      this.#schedule(this.#o.clock.ms + appeal.decideAfter, 'cases', async () => {
        const input = { outcome: appeal.outcome, rationale: appeal.rationale };
        await this.#o.ctx.decisions.decideAppeal(caseId, input, this.#o.actors.appeals);
        this.tally.appeals[appeal.outcome]++;
      });
    });
  }

  /** The subject signs in to appeal, as itself: a subject principal, made on its first appeal. */
  async #subjectPrincipal(subject: string): Promise<string> {
    let id = this.#subjectPrincipals.get(subject);
    if (id === undefined) {
      const { principal } = await this.#o.ctx.principals.create(
        { role: 'subject', subject, name: 'simulated subject' },
        { actor: this.#o.actors.operator },
      );
      id = principal.id;
      this.#subjectPrincipals.set(subject, id);
    }
    return id;
  }

  async #expireSanctions(): Promise<void> {
    while ((await this.#o.ctx.sanctions.expireDue()) > 0) {
      // expireDue takes up to 500 at a time
    }
  }
}

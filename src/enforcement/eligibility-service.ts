import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { Engine } from '../db/engine.ts';
import { ForbiddenError, SubjectNotFoundError, ValidationError } from '../errors.ts';
import type { Policy, SanctionKind } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import { type Eligibility, EligibilityIndex, type IndexedSanction } from './eligibility-index.ts';

type SanctionRow = {
  id: string;
  subject_id: string;
  kind: string;
  world_id: string | null;
  actions: string | null;
  starts_at: string;
  ends_at: string | null;
};

export interface EligibilityOptions {
  db: Db;
  engine: Engine;
  policy: Policy;
  logger: Logger;
  now: () => Date;
  /** Set on PostgreSQL: the instances share changes over LISTEN/NOTIFY on this database. */
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  /** Reads the sanctions not lifted (all, or of some subjects): the sanction service's query. */
  loadSanctions: (subjects?: string[]) => Promise<SanctionRow[]>;
  /** Reads the subjects (all, or of some) whose grade is one of `grades`: the credit service's query. */
  loadGrades: (
    grades: readonly string[],
    subjects?: string[],
  ) => Promise<{ subject_id: string; grade: string }[]>;
}

const loadBatch = 50_000;

/**
 * Answers eligibility checks from an in-memory index, rebuilt at start and refreshed in this
 * process after each change. Several instances over one PostgreSQL database tell each other:
 * each change sends a NOTIFY inside its transaction (so it is delivered only on commit), and
 * every instance LISTENs and reloads the subjects named.
 */
export class EligibilityService {
  readonly #options: EligibilityOptions;
  #index: EligibilityIndex;
  #listener: pg.Client | undefined;
  #stopped = false;

  constructor(options: EligibilityOptions) {
    this.#options = options;
    this.#index = new EligibilityIndex(options.policy.document.actions);
  }

  /** The channel is per schema so that stores sharing a database do not wake each other. */
  get channel(): string {
    return `mdis_eligibility_${this.#options.databaseSchema ?? 'public'}`;
  }

  /** Builds a fresh index from the store (subjects, sanctions, grades) and swaps it in. */
  async rebuild(): Promise<void> {
    const index = new EligibilityIndex(this.#options.policy.document.actions);
    let after = '';
    for (;;) {
      const rows = await this.#options.db
        .selectFrom('subjects')
        .select('id')
        .where('id', '>', after)
        .orderBy('id')
        .limit(loadBatch)
        .execute();
      for (const row of rows) index.addSubject(row.id);
      if (rows.length < loadBatch) break;
      after = rows.at(-1)!.id;
    }
    for (const [subject, sanctions] of group(await this.#options.loadSanctions()))
      index.setSanctions(subject, sanctions);
    for (const { subject_id, grade } of await this.#options.loadGrades(index.deniedGrades))
      index.setGrade(subject_id, grade);
    this.#index = index;
  }

  /**
   * Checks for a caller: the action must be in the policy and in the caller's scope; world
   * actions are judged in the platform's own world, or the `world` a service names.
   */
  async checkFor(
    caller: Principal,
    subject: string,
    action: string,
    world: string | undefined,
  ): Promise<Eligibility> {
    const scopedWorld = this.#authorise(caller, action, world);
    return this.check(subject, action, scopedWorld);
  }

  /** Checks in-process; unknown subjects are looked up once in the store before a 404. */
  async check(subject: string, action: string, world: string | undefined): Promise<Eligibility> {
    const now = this.#options.now().getTime();
    const answer = this.#index.check(subject, action, world, now);
    if (answer !== undefined) return answer;
    // Enrolled on another instance a moment ago, before its notification arrived?
    await this.refresh([subject]);
    const retry = this.#index.check(subject, action, world, now);
    if (retry === undefined) throw new SubjectNotFoundError(subject);
    return retry;
  }

  /** Reloads some subjects from the store (after a change committed here or elsewhere). */
  async refresh(subjects: string[]): Promise<void> {
    const unique = [...new Set(subjects)];
    if (unique.length === 0) return;
    const existing = await this.#options.db
      .selectFrom('subjects')
      .select('id')
      .where('id', 'in', unique)
      .execute();
    const sanctions = group(await this.#options.loadSanctions(unique));
    const grades = new Map(
      (await this.#options.loadGrades(this.#index.deniedGrades, unique)).map((g) => [g.subject_id, g.grade]),
    );
    for (const { id } of existing) {
      this.#index.setSanctions(id, sanctions.get(id) ?? []);
      this.#index.setGrade(id, grades.get(id) ?? '');
    }
  }

  /** Inside a transaction that changes a subject's standing: tells the other instances on commit. */
  async announce(trx: Db, subject: string): Promise<void> {
    if (this.#options.engine !== 'postgres') return;
    await sql`select pg_notify(${this.channel}, ${subject})`.execute(trx);
  }

  /** On PostgreSQL, listens for other instances' changes; reconnects and rebuilds after a loss. */
  async listen(): Promise<void> {
    if (this.#options.engine !== 'postgres' || this.#options.databaseUrl === undefined) return;
    const client = new pg.Client({ connectionString: this.#options.databaseUrl });
    client.on('notification', (message) => {
      if (message.payload) this.refresh([message.payload]).catch((error) => this.#lost(error));
    });
    client.on('error', (error) => this.#lost(error));
    await client.connect();
    await client.query(`listen ${this.channel}`);
    // Stopped while connecting (a reconnect under way at shutdown): this client would keep the
    // process alive.
    if (this.#stopped) {
      await client.end();
      return;
    }
    this.#listener = client;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#listener?.end().catch(() => {});
    this.#listener = undefined;
  }

  // Changes may have been missed while disconnected: listen again, then rebuild from the store.
  #lost(error: unknown): void {
    if (this.#stopped) return;
    this.#options.logger.warn({ err: error }, 'eligibility listener lost; reconnecting and rebuilding');
    this.#listener?.end().catch(() => {});
    this.#listener = undefined;
    setTimeout(() => {
      if (this.#stopped) return;
      this.listen()
        .then(() => this.rebuild())
        .catch((e) => this.#lost(e));
    }, 1000).unref();
  }

  #authorise(caller: Principal, action: string, world: string | undefined): string | undefined {
    if (!this.#options.policy.isAction(action)) {
      throw new ValidationError('action', `"${action}" is not an action in the policy`);
    }
    if (caller.role === 'platform') {
      // A world learns whether someone may act in it, not whether they may fly or borrow.
      if (!isWorldAction(action)) {
        throw new ForbiddenError(`a platform may check world actions only, not ${action}`);
      }
      if (world !== undefined && world !== caller.world) {
        throw new ForbiddenError(`this platform acts for world "${caller.world}", not "${world}"`);
      }
      return caller.world;
    }
    if (caller.role === 'service' && !caller.actions?.includes(action)) {
      throw new ForbiddenError(`this service may check ${caller.actions?.join(', ')}, not ${action}`);
    }
    if (isWorldAction(action) && world === undefined) {
      throw new ValidationError('world', `is required to check ${action}`);
    }
    return world;
  }
}

/** Actions taken in a world (`world.*`): judged in one world, and the only ones a platform checks. */
function isWorldAction(action: string): boolean {
  return action.startsWith('world.');
}

function group(rows: SanctionRow[]): Map<string, IndexedSanction[]> {
  const bySubject = new Map<string, IndexedSanction[]>();
  for (const row of rows) {
    const list = bySubject.get(row.subject_id) ?? [];
    list.push({
      id: row.id,
      kind: row.kind as SanctionKind,
      world: row.world_id,
      actions: row.actions === null ? null : (JSON.parse(row.actions) as string[]),
      startsAt: Date.parse(row.starts_at),
      endsAt: row.ends_at === null ? null : Date.parse(row.ends_at),
    });
    bySubject.set(row.subject_id, list);
  }
  return bySubject;
}

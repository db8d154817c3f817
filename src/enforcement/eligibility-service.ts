import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { gradesWithoutDirectPoints, subjectsAtGrades } from '../credit/grades.ts';
import { CreditModel, dayOf } from '../credit/model.ts';
import type { Db } from '../db/database.ts';
import type { Engine } from '../db/engine.ts';
import type { Tx } from '../db/transaction.ts';
import {
  DigitalIdNotAllowedError,
  ForbiddenError,
  PseudonymNotFoundError,
  SubjectErasedError,
  SubjectNotFoundError,
  ValidationError,
} from '../errors.ts';
import type { ServicePseudonymService } from '../identity/service-pseudonyms.ts';
import type { Policy, SanctionKind } from '../policy/policy.ts';
import type { Principal } from '../principals/roles.ts';
import type { CheckCounter } from './check-counts.ts';
import {
  type Eligibility,
  EligibilityIndex,
  type IndexedSanction,
  isWorldAction,
} from './eligibility-index.ts';
import { type UnliftedSanction, unliftedSanctions } from './unlifted-sanctions.ts';

export interface EligibilityOptions {
  db: Db;
  engine: Engine;
  policy: Policy;
  logger: Logger;
  now: () => Date;
  /** Set on PostgreSQL: the instances share changes over LISTEN/NOTIFY on this database. */
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  /** Counts the checks of services and platforms, for the subjects to see (`checkFor` only). */
  counts?: CheckCounter;
  /** Resolves the pseudonyms services know people by (`checkByPseudonymFor`); loaded with the index. */
  pseudonyms?: ServicePseudonymService;
}

const loadBatch = 50_000;
/** Subjects per reload query and per NOTIFY (whose payload must stay under 8,000 bytes). */
const subjectChunk = 200;

/**
 * Answers eligibility checks from an in-memory index, built by `rebuild` (a serving instance)
 * and kept current through `changed`, which every change of a subject's standing calls inside
 * its transaction: it sends a NOTIFY there (delivered only on commit) to the other instances,
 * which LISTEN and reload the subjects named, and reloads them here after the commit.
 */
export class EligibilityService {
  readonly #db: Db;
  readonly #engine: Engine;
  readonly #policy: Policy;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #databaseUrl: string | undefined;
  readonly #databaseSchema: string | undefined;
  readonly #counts: CheckCounter | undefined;
  /** Weighs a subject's contributions without the points counted directly (see #outsideGrades). */
  readonly #model: CreditModel;
  readonly #pseudonyms: ServicePseudonymService | undefined;
  #index: EligibilityIndex;
  /** Set by the first rebuild: a command that never builds the index has nothing to reload. */
  #built = false;
  /** The subjects each open transaction has changed so far: each is sent and reloaded once. */
  readonly #changes = new WeakMap<Tx, Set<string>>();
  #listener: pg.Client | undefined;
  #stopped = false;

  constructor(options: EligibilityOptions) {
    this.#db = options.db;
    this.#engine = options.engine;
    this.#policy = options.policy;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#databaseUrl = options.databaseUrl;
    this.#databaseSchema = options.databaseSchema;
    this.#counts = options.counts;
    this.#pseudonyms = options.pseudonyms;
    this.#index = new EligibilityIndex(options.policy.document.actions);
    this.#model = new CreditModel(options.policy);
  }

  /** The channel is per schema so that stores sharing a database do not wake each other. */
  get channel(): string {
    return `mdis_eligibility_${this.#databaseSchema ?? 'public'}`;
  }

  /** Builds a fresh index from the store (subjects, sanctions, grades) and swaps it in. */
  async rebuild(): Promise<void> {
    const index = new EligibilityIndex(this.#policy.document.actions);
    let after = '';
    for (;;) {
      const rows = await this.#db
        .selectFrom('subjects')
        .select(['id', 'erased_at'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(loadBatch)
        .execute();
      for (const row of rows) {
        if (row.erased_at === null) index.addSubject(row.id);
        else index.markErased(row.id);
      }
      if (rows.length < loadBatch) break;
      after = rows.at(-1)!.id;
    }
    for (const [subject, sanctions] of group(await unliftedSanctions(this.#db)))
      index.setSanctions(subject, sanctions);
    const graded = await subjectsAtGrades(this.#db, index.deniedGrades);
    const outside = await this.#outsideGrades(graded);
    for (const { subject_id, grade } of graded) index.setGrade(subject_id, grade, outside.get(subject_id));
    await this.#pseudonyms?.load();
    this.#index = index;
    this.#built = true;
  }

  /**
   * Checks for a caller by digital ID: the action must be in the policy and in the caller's scope,
   * and a service may check by digital ID only the actions the policy still allows
   * (`eligibility.digitalIdChecks`); world actions are judged in the platform's own world, or the
   * `world` a service names. Each answer is counted for the subject (per caller, action and day).
   */
  async checkFor(
    caller: Principal,
    subject: string,
    action: string,
    world: string | undefined,
  ): Promise<Eligibility> {
    const scopedWorld = this.#authorise(caller, action, world);
    if (caller.role === 'service' && !this.#policy.digitalIdChecks(action)) {
      throw new DigitalIdNotAllowedError(action);
    }
    return this.#checkAndCount(caller, subject, action, scopedWorld);
  }

  /**
   * Checks for a service by its own pseudonym for the person (the `sub` its sign-in gave it). A
   * pseudonym it was not given (another service's, or made up) is one 404 for both.
   */
  async checkByPseudonymFor(
    caller: Principal,
    pseudonym: string,
    action: string,
    world: string | undefined,
  ): Promise<Eligibility> {
    if (caller.role !== 'service') {
      throw new ForbiddenError('pseudonyms are a service’s own; a platform checks its avatars by digital ID');
    }
    const scopedWorld = this.#authorise(caller, action, world);
    const subject = await this.#pseudonyms?.resolve(caller.id, pseudonym);
    if (subject === undefined) throw new PseudonymNotFoundError();
    try {
      return await this.#checkAndCount(caller, subject, action, scopedWorld);
    } catch (error) {
      // An erased person's pseudonym is gone (its row deleted): the same 404 on every instance,
      // whether or not this one still held it in memory; never a 410 that tells of the erasure.
      if (error instanceof SubjectErasedError) throw new PseudonymNotFoundError();
      throw error;
    }
  }

  async #checkAndCount(
    caller: Principal,
    subject: string,
    action: string,
    scopedWorld: string | undefined,
  ): Promise<Eligibility> {
    const answer = await this.check(subject, action, scopedWorld);
    // Answered: the subject will see that this caller checked it (counted in memory, written in batches).
    this.#counts?.count(subject, caller.id, action);
    return answer;
  }

  /** Checks in-process; unknown subjects are looked up once in the store before a 404. */
  async check(subject: string, action: string, world: string | undefined): Promise<Eligibility> {
    const now = this.#now().getTime();
    const answer = this.#index.check(subject, action, world, now);
    if (answer !== undefined) return answer;
    // Enrolled on another instance a moment ago, before its notification arrived?
    await this.refresh([subject]);
    const retry = this.#index.check(subject, action, world, now);
    if (retry === undefined) {
      const erased = await this.#db
        .selectFrom('subjects')
        .select('id')
        .where('id', '=', subject)
        .where('erased_at', 'is not', null)
        .executeTakeFirst();
      throw erased === undefined ? new SubjectNotFoundError(subject) : new SubjectErasedError(subject);
    }
    return retry;
  }

  /**
   * Says, inside the transaction of a change, that these subjects' standing (sanctions or grade)
   * changed. On PostgreSQL the other instances hear of it by NOTIFY when, and only if, the
   * transaction commits; this instance reloads them from the store after the commit.
   */
  async changed(tx: Tx, subjects: readonly string[]): Promise<void> {
    let changes = this.#changes.get(tx);
    if (changes === undefined) {
      const all = new Set<string>();
      changes = all;
      this.#changes.set(tx, all);
      tx.afterCommit(() => (this.#built ? this.refresh([...all]) : undefined));
    }
    const fresh = [...new Set(subjects)].filter((subject) => !changes.has(subject));
    for (const subject of fresh) changes.add(subject);
    if (this.#engine !== 'postgres') return;
    for (const some of chunks(fresh)) {
      await sql`select pg_notify(${this.channel}, ${some.join(' ')})`.execute(tx);
    }
  }

  /** Reloads some subjects from the store (after a change committed elsewhere, or not known yet). */
  async refresh(subjects: readonly string[]): Promise<void> {
    for (const some of chunks([...new Set(subjects)])) await this.#reload(some);
  }

  async #reload(subjects: string[]): Promise<void> {
    const db = this.#db;
    const existing = await db
      .selectFrom('subjects')
      .select(['id', 'erased_at'])
      .where('id', 'in', subjects)
      .execute();
    for (const row of existing) if (row.erased_at !== null) this.#index.markErased(row.id);
    const sanctions = group(await unliftedSanctions(db, subjects));
    const graded = await subjectsAtGrades(db, this.#index.deniedGrades, subjects);
    const outside = await this.#outsideGrades(graded);
    const grades = new Map(graded.map((g) => [g.subject_id, g.grade]));
    for (const { id } of existing) {
      this.#index.setSanctions(id, sanctions.get(id) ?? []);
      this.#index.setGrade(id, grades.get(id) ?? '', outside.get(id));
    }
  }

  // The grades actions outside the worlds are denied at, where they differ. Only a subject at a
  // grade some action is denied at can have one that matters: leaving out negative points never
  // lowers a grade.
  #outsideGrades(graded: { subject_id: string }[]): Promise<Map<string, string>> {
    const subjects = graded.map((g) => g.subject_id);
    return gradesWithoutDirectPoints(this.#db, this.#model, dayOf(this.#now()), subjects);
  }

  /** On PostgreSQL, listens for other instances' changes; reconnects and rebuilds after a loss. */
  async listen(): Promise<void> {
    if (this.#engine !== 'postgres' || this.#databaseUrl === undefined) return;
    const client = new pg.Client({ connectionString: this.#databaseUrl });
    client.on('notification', (message) => {
      if (message.payload) this.refresh(message.payload.split(' ')).catch((error) => this.#lost(error));
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
    this.#logger.warn({ err: error }, 'eligibility listener lost; reconnecting and rebuilding');
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
    if (!this.#policy.isAction(action)) {
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

function* chunks(subjects: readonly string[]): Generator<string[]> {
  for (let i = 0; i < subjects.length; i += subjectChunk) yield subjects.slice(i, i + subjectChunk);
}

function group(rows: UnliftedSanction[]): Map<string, IndexedSanction[]> {
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

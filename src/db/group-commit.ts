import type { Db } from './database.ts';
import { type AfterCommit, commit, runEffects, type Tx } from './transaction.ts';

interface Job {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: units of work that arrive while a transaction is under way wait for it, then run
 * together in the next one, so that the disk is waited on once per group instead of once per unit.
 * Nothing is delayed to form a group: a unit that finds no transaction running starts one at once.
 * A unit's promise settles only after its own transaction has committed or rolled back, so an
 * acknowledged unit is durable.
 *
 * Each unit must write only through the transaction it is given (it may run more than once): if
 * one unit of a group fails, the group rolls back and every unit runs again in a transaction of
 * its own, so that only the failing unit sees its error. The effects units register with
 * `afterCommit` run once their transaction commits, before the units' promises settle.
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #maxGroup: number;
  #queue: Job[] = [];
  #draining = false;
  /** Transactions committed and the units they carried, for benchmarks to tell how groups formed. */
  readonly stats = { commits: 0, units: 0 };

  constructor(db: Db, options: { maxGroup?: number } = {}) {
    this.#db = db;
    this.#maxGroup = options.maxGroup ?? 256;
  }

  /** Runs `work` in a transaction shared with the units around it; resolves once that commits. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.#maxGroup));
    } finally {
      this.#draining = false;
    }
  }

  async #commit(group: Job[]): Promise<void> {
    if (group.length === 1) return this.#commitAlone(group[0]!);
    let committed: { result: unknown[]; effects: AfterCommit[] };
    try {
      committed = await commit(this.#db, async (tx) => {
        const out: unknown[] = [];
        for (const job of group) out.push(await job.work(tx));
        return out;
      });
    } catch {
      for (const job of group) await this.#commitAlone(job);
      return;
    }
    this.#count(group.length);
    await this.#settle(group, committed);
  }

  async #commitAlone(job: Job): Promise<void> {
    let committed: { result: unknown; effects: AfterCommit[] };
    try {
      committed = await commit(this.#db, job.work);
    } catch (error) {
      job.reject(error);
      return;
    }
    this.#count(1);
    await this.#settle([job], { result: [committed.result], effects: committed.effects });
  }

  #count(units: number): void {
    this.stats.commits++;
    this.stats.units += units;
  }

  // Committed: a failed effect is the group's error, but never a reason to run the units again.
  async #settle(group: Job[], { result, effects }: { result: unknown[]; effects: AfterCommit[] }) {
    try {
      await runEffects(effects);
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    for (const [i, job] of group.entries()) job.resolve(result[i]);
  }
}

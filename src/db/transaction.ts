import type { Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { DatabaseSchema } from './schema.ts';

/**
 * A transaction of the store. A method that must run inside its cause's transaction takes a
 * `Tx`: the pool's `Db` is not one, so passing it is a compile error. A `Tx` is a `Db`, so the
 * readers that take a `Db` also read inside a transaction.
 */
export type Tx = Transaction<DatabaseSchema> & {
  /**
   * Runs `effect` once this transaction has committed (never if it rolls back): the one home of
   * what must follow a commit, such as refreshing this process's in-memory state.
   */
  afterCommit(effect: AfterCommit): void;
};

export type AfterCommit = () => Promise<unknown> | unknown;

/**
 * Runs `work` in a new transaction, then, once it has committed, the effects registered on it in
 * order. Every effect runs even if one fails; the first failure is then thrown.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const { result, effects } = await commit(db, work);
  await runEffects(effects);
  return result;
}

/**
 * Runs `work` in a new transaction and returns, once it has committed, its result and the effects
 * registered on it, not yet run: for a caller that must tell a failed commit from a failed effect.
 */
export async function commit<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
): Promise<{ result: T; effects: AfterCommit[] }> {
  const effects: AfterCommit[] = [];
  const result = await db.transaction().execute((trx) =>
    work(
      Object.assign(trx, {
        afterCommit: (effect: AfterCommit) => {
          effects.push(effect);
        },
      }),
    ),
  );
  return { result, effects };
}

/** Runs effects in order; every one runs even if one fails, and the first failure is then thrown. */
export async function runEffects(effects: readonly AfterCommit[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}

import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Engine } from '../db/engine.ts';
import { inTransaction } from '../db/transaction.ts';
import { PolicyUnknownError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { type Policy, parsePolicy } from './policy.ts';

/** The policy in force in a store (the latest put in force), or undefined on a store that has none. */
export async function policyInForce(db: Db) {
  return db
    .selectFrom('policy_activations as a')
    .innerJoin('policies as p', 'p.digest', 'a.digest')
    .select(['p.digest', 'p.name', 'p.document'])
    .orderBy('a.activated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The policy a command other than `serve` works under: the store's policy in force, so that it
 * never puts another in force behind the server's back. A store with none yet takes `configured`.
 */
export async function storedPolicy(db: Db, configured: Policy): Promise<Policy> {
  const current = await policyInForce(db);
  if (current === undefined || current.digest === configured.digest) return configured;
  if (current.document === null) {
    throw new PolicyUnknownError(current.name, current.digest);
  }
  return parsePolicy(JSON.parse(current.document));
}

/**
 * Puts `policy` in force unless it already is: records it with its text, and the time it came
 * into force, in the log too. Returns true when it was not in force (its scores are then due a
 * recompute). Going back to an earlier policy is a change like any other.
 */
export async function activatePolicy(
  db: Db,
  engine: Engine,
  ledger: LedgerService,
  policy: Policy,
  now: Date,
): Promise<boolean> {
  // Already in force, text kept: nothing to write (the common start).
  const current = await policyInForce(db);
  if (current?.digest === policy.digest && current.document !== null) return false;
  const document = canonicalJson(policy.document);
  return inTransaction(db, async (trx) => {
    // Instances starting at the same moment take turns here, so that a new policy comes into
    // force once. On SQLite the write below takes the store's write lock first.
    if (engine === 'postgres') {
      await sql`lock table policy_activations in share row exclusive mode`.execute(trx);
    }
    await trx
      .insertInto('policies')
      .values({
        digest: policy.digest,
        name: policy.document.name,
        version: policy.document.version,
        activated_at: now.toISOString(),
        document,
      })
      // A policy recorded before the store kept policies' text gets it now.
      .onConflict((oc) => oc.column('digest').doUpdateSet({ document }))
      .execute();
    if ((await policyInForce(trx))?.digest === policy.digest) return false;
    await trx
      .insertInto('policy_activations')
      .values({ activated_at: now.toISOString(), digest: policy.digest })
      .execute();
    await ledger.append(trx, {
      kind: 'policy.activated',
      actor: 'operator',
      refs: { digest: policy.digest, version: policy.document.version },
    });
    return true;
  });
}

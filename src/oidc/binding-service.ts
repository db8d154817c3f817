import type { Db } from '../db/database.ts';
import { inTransaction, type Tx } from '../db/transaction.ts';
import { NotFoundError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { Notifier } from '../notify/notifier.ts';

export interface Binding {
  world: string;
  worldName: string;
  handle: string;
  pseudonym: string;
  boundAt: string;
}

/** A person's own avatar bindings: seen on the console, ended there (the world is told by webhook). */
export class BindingService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #notifier: Notifier;
  readonly #now: () => Date;

  constructor(options: { db: Db; ledger: LedgerService; notifier: Notifier; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#notifier = options.notifier;
    this.#now = options.now;
  }

  async list(subject: string): Promise<Binding[]> {
    const rows = await this.#db
      .selectFrom('avatars')
      .innerJoin('worlds', 'worlds.id', 'avatars.world_id')
      .select(['avatars.world_id', 'worlds.name', 'avatars.handle', 'avatars.pseudonym', 'avatars.bound_at'])
      .where('avatars.subject_id', '=', subject)
      .orderBy('avatars.world_id')
      .orderBy('avatars.handle')
      .execute();
    return rows.map((r) => ({
      world: r.world_id,
      worldName: r.name,
      handle: r.handle,
      pseudonym: r.pseudonym,
      boundAt: r.bound_at,
    }));
  }

  /**
   * Ends a binding: the world's subscriptions get `avatar.unbound` (queued before the row goes,
   * in the same transaction), the grants the person gave that world are revoked, and it is logged.
   */
  async end(subject: string, world: string, handle: string, actor: string): Promise<void> {
    await inTransaction(this.#db, async (trx) => {
      const row = await trx
        .selectFrom('avatars')
        .select('pseudonym')
        .where('world_id', '=', world)
        .where('handle', '=', handle)
        .where('subject_id', '=', subject)
        .executeTakeFirst();
      if (row === undefined)
        throw new NotFoundError('avatar_not_found', 'you have no avatar with this handle in this world');
      const at = this.#now().toISOString();
      await this.#notifier.enqueue(trx, {
        type: 'avatar.unbound',
        subject,
        world,
        occurredAt: at,
        data: { handle },
      });
      await trx.deleteFrom('avatars').where('world_id', '=', world).where('handle', '=', handle).execute();
      await revokeGrants(trx, subject, world);
      await this.#ledger.append(trx, {
        kind: 'avatar.unbound',
        actor,
        refs: { world, subject, pseudonym: row.pseudonym },
        details: { handle },
      });
    });
  }
}

/** The person's grants to a world's client, with the codes and tokens issued under them. */
async function revokeGrants(trx: Tx, subject: string, world: string): Promise<void> {
  const grants = await trx
    .selectFrom('oidc_models')
    .select(['id', 'payload'])
    .where('model', '=', 'Grant')
    .execute();
  const mine = grants
    .filter((g) => {
      const payload = JSON.parse(g.payload) as { accountId?: string; clientId?: string };
      return payload.accountId === subject && payload.clientId === world;
    })
    .map((g) => g.id);
  if (mine.length === 0) return;
  await trx.deleteFrom('oidc_models').where('grant_id', 'in', mine).execute();
  await trx.deleteFrom('oidc_models').where('model', '=', 'Grant').where('id', 'in', mine).execute();
}

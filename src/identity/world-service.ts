import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { WorldExistsError, WorldNotFoundError } from '../errors.ts';
import type { LedgerService } from '../ledger/ledger-service.ts';
import type { PrincipalService } from '../principals/principal-service.ts';

/** World ids are chosen by the operator: lower case, digits and hyphens, 2 to 40 characters. */

export interface World {
  id: string;
  name: string;
  createdAt: string;
}

export class WorldService {
  readonly #db: Db;
  readonly #ledger: LedgerService;
  readonly #principals: PrincipalService;
  readonly #now: () => Date;

  constructor(options: { db: Db; ledger: LedgerService; principals: PrincipalService; now: () => Date }) {
    this.#db = options.db;
    this.#ledger = options.ledger;
    this.#principals = options.principals;
    this.#now = options.now;
  }

  /** Registers a world together with the platform principal that acts for it. */
  async create(input: { id: string; name: string }, actor: string) {
    const createdAt = this.#now().toISOString();
    try {
      return await inTransaction(this.#db, async (trx) => {
        await trx
          .insertInto('worlds')
          .values({ id: input.id, name: input.name, created_at: createdAt, created_by: actor })
          .execute();
        await this.#ledger.append(trx, { kind: 'world.registered', actor, refs: { world: input.id } });
        const { principal, token } = await this.#principals.create(
          { role: 'platform', world: input.id, name: `${input.name} platform` },
          { actor, db: trx },
        );
        const world: World = { id: input.id, name: input.name, createdAt };
        return { world, platform: { id: principal.id, token } };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new WorldExistsError(input.id);
      throw error;
    }
  }

  async get(id: string, db: Db = this.#db): Promise<World> {
    const row = await db.selectFrom('worlds').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new WorldNotFoundError(id);
    return { id: row.id, name: row.name, createdAt: row.created_at };
  }
}

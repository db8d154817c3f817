import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/database.ts';
import type { OidcClientService } from './client-service.ts';

/**
 * oidc-provider's models (sessions, interactions, codes, grants, tokens) in the store, so that
 * they survive a restart and every instance behind a load balancer sees them; clients come
 * from the worlds' registrations. Expiry uses the wall clock, as oidc-provider itself does.
 */
export function kyselyAdapter(db: Db, clients: OidcClientService) {
  return class KyselyAdapter implements Adapter {
    readonly #model: string;

    constructor(model: string) {
      this.#model = model;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
      };
      await db
        .insertInto('oidc_models')
        .values({ model: this.#model, id, consumed_at: null, ...row })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#model === 'Client') return clients.metadataFor(id);
      return this.#findBy('id', id);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.#findBy('uid', uid);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.#findBy('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await db
        .updateTable('oidc_models')
        .set({ consumed_at: new Date().toISOString() })
        .where('model', '=', this.#model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_models').where('model', '=', this.#model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_models').where('grant_id', '=', grantId).execute();
    }

    async #findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_models')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('model', '=', this.#model)
        .where(column, '=', value)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      if (row.expires_at !== null && row.expires_at <= new Date().toISOString()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      if (row.consumed_at !== null) payload.consumed = Math.floor(Date.parse(row.consumed_at) / 1000);
      return payload;
    }
  };
}

/** Deletes the models past their expiry; a serving instance runs it now and then. */
export async function deleteExpiredModels(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('oidc_models')
    .where('expires_at', '<=', new Date().toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import { inTransaction } from '../db/transaction.ts';
import type { KeyPurpose } from './purposes.ts';

/**
 * The key that signs people's exports (`GET /v1/me/export`). A new key signs from the rotation on
 * (each serving instance reloads within its 'reload signing keys' pass); the keys before it stay
 * at the JWKS, as an export is a document its holder may show years later.
 */
export const exportKeys: KeyPurpose = {
  signs: 'the people’s signed exports of their data',
  async rotate(ctx, actor) {
    return inTransaction(ctx.db, async (tx) => {
      const kid = await ctx.exportKeys.rotate(tx);
      await ctx.ledger.append(tx, { kind: 'keys.rotated', actor, refs: { purpose: 'export', kid } });
      return { kid };
    });
  },
  list: (ctx) => ctx.exportKeys.list(),
};

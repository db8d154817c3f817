import { inTransaction } from '../db/transaction.ts';
import type { KeyPurpose } from './purposes.ts';

/**
 * The credential issuer keys (SD-JWT VC and status lists). A new key signs from the rotation on
 * (each serving instance reloads within its 'reload signing keys' pass); the one it replaces
 * stays at the JWKS, jwt-vc-issuer metadata and did:web until every credential it may have
 * signed has expired (`replacedKeySeconds`).
 */
export const credentialKeys: KeyPurpose = {
  signs: 'the SD-JWT VC credentials and their status lists',
  async rotate(ctx, actor) {
    return inTransaction(ctx.db, async (tx) => {
      const kid = await ctx.credentials.keys.rotate(tx);
      await ctx.ledger.append(tx, { kind: 'keys.rotated', actor, refs: { purpose: 'credential', kid } });
      return { kid };
    });
  },
  list: (ctx) => ctx.credentials.keys.list(),
};

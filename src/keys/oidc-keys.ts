import { inTransaction } from '../db/transaction.ts';
import { listSigningKeys, rotateSigningKey } from '../oidc/keys.ts';
import type { KeyPurpose } from './purposes.ts';

/**
 * The ID token signing keys of the OpenID Provider. A new key signs from the rotation on (each
 * serving instance rebuilds its provider within its 'reload signing keys' pass); the old one
 * stays in the JWKS for the ID token lifetime, then drops out.
 */
export const oidcKeys: KeyPurpose = {
  signs: 'the ID tokens of the OpenID Provider',
  async rotate(ctx, actor) {
    return inTransaction(ctx.db, async (tx) => {
      const kid = await rotateSigningKey(tx, ctx.keyring, ctx.now());
      await ctx.ledger.append(tx, { kind: 'keys.rotated', actor, refs: { purpose: 'oidc', kid } });
      return { kid };
    });
  },
  list: (ctx) => listSigningKeys(ctx.db),
};

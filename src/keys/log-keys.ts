import { inTransaction } from '../db/transaction.ts';
import type { KeyPurpose } from './purposes.ts';

/**
 * The log's checkpoint key. Its rotation is a `log.key_rotated` entry (no `keys.rotated`): the
 * checkpoint that covers it, signed here at once by the old key and the new one, is how a
 * verifier that trusts the old key learns the new one. Old keys stay listed at /v1/log/keys for
 * as long as the log: the checkpoints they signed never expire.
 */
export const logKeys: KeyPurpose = {
  signs: 'the checkpoints of the transparency log',
  async rotate(ctx, actor) {
    const rotated = await inTransaction(ctx.db, (tx) => ctx.ledger.rotateKey(tx, actor));
    // Signed now rather than by the next serving instance's pass: the hand-over is on record
    // when the command returns (any instance would sign it the same way).
    await ctx.ledger.checkpoint();
    return { kid: rotated.key.split('+')[1]! };
  },
  async list(ctx) {
    return (await ctx.ledger.keys()).map((key) => ({
      kid: key.keyId,
      createdAt: key.createdAt,
      retiredAt: key.retiredAt,
      expiresAt: null,
    }));
  },
};

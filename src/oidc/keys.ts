import { generateKeyPairSync } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../keyring.ts';

const sealContext = 'oidc signing key';
const firstKid = 'mdis-oidc-1';

/**
 * The ID token signing keys (RS256, the algorithm every relying party accepts by default).
 * Made once by the first instance that needs them, sealed by the keyring; the others read them.
 */
export async function signingKeys(db: Db, keyring: Keyring): Promise<object[]> {
  let rows = await db.selectFrom('oidc_keys').selectAll().orderBy('created_at', 'desc').execute();
  if (rows.length === 0) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: firstKid, alg: 'RS256', use: 'sig' };
    await db
      .insertInto('oidc_keys')
      .values({
        kid: firstKid,
        sealed_jwk: keyring.sealSecret(`${sealContext}|${firstKid}`, JSON.stringify(jwk)),
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
    rows = await db.selectFrom('oidc_keys').selectAll().orderBy('created_at', 'desc').execute();
  }
  return rows.map(
    (row) => JSON.parse(keyring.openSecret(`${sealContext}|${row.kid}`, row.sealed_jwk)) as object,
  );
}

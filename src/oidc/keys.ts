import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../keyring.ts';

const sealContext = 'oidc signing key';
const firstKid = 'mdis-oidc-1';
/**
 * How long an ID token lives (the provider's IdToken lifetime), so how long a retired key stays
 * in the JWKS: every token it signed has expired by then.
 */
export const idTokenSeconds = 600;

/** One signing key as `mdis keys list` shows it. */
export interface OidcKey {
  kid: string;
  createdAt: string;
  retiredAt: string | null;
  /** When it leaves the JWKS: retired, plus the ID token lifetime. */
  expiresAt: string | null;
}

/**
 * The ID token signing keys (RS256, the algorithm every relying party accepts by default), as the
 * provider's JWKS: the signing key first (oidc-provider signs with the first key of the
 * algorithm), then the retired keys whose ID tokens may not have expired yet. Made once by the
 * first instance that needs them, sealed by the keyring; the others read them.
 */
export async function signingKeys(db: Db, keyring: Keyring, now: Date): Promise<object[]> {
  let rows = await publishedRows(db, now);
  if (rows.length === 0) {
    await insertKey(db, keyring, firstKid, now);
    rows = await publishedRows(db, now);
  }
  return rows.map(
    (row) => JSON.parse(keyring.openSecret(`${sealContext}|${row.kid}`, row.sealed_jwk)) as object,
  );
}

/** The kids the JWKS holds now, signing key first: when they change, the provider is rebuilt. */
export async function publishedKids(db: Db, now: Date): Promise<string> {
  return (await publishedRows(db, now)).map((row) => row.kid).join(' ');
}

/** Makes a new signing key inside the rotation's transaction; the old one stays published. */
export async function rotateSigningKey(db: Db, keyring: Keyring, now: Date): Promise<string> {
  const kid = `mdis-oidc-${randomBytes(6).toString('base64url')}`;
  await db
    .updateTable('oidc_keys')
    .set({ retired_at: now.toISOString() })
    .where('retired_at', 'is', null)
    .execute();
  await insertKey(db, keyring, kid, now);
  return kid;
}

export async function listSigningKeys(db: Db): Promise<OidcKey[]> {
  const rows = await db
    .selectFrom('oidc_keys')
    .select(['kid', 'created_at', 'retired_at'])
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    kid: row.kid,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    expiresAt:
      row.retired_at === null
        ? null
        : new Date(Date.parse(row.retired_at) + idTokenSeconds * 1000).toISOString(),
  }));
}

async function publishedRows(db: Db, now: Date) {
  const since = new Date(now.getTime() - idTokenSeconds * 1000).toISOString();
  const rows = await db
    .selectFrom('oidc_keys')
    .selectAll()
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', since)]))
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
  // The signing key first, whatever the clock says of creation times.
  return [...rows.filter((row) => row.retired_at === null), ...rows.filter((row) => row.retired_at !== null)];
}

async function insertKey(db: Db, keyring: Keyring, kid: string, now: Date): Promise<void> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  await db
    .insertInto('oidc_keys')
    .values({
      kid,
      sealed_jwk: keyring.sealSecret(`${sealContext}|${kid}`, JSON.stringify(jwk)),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('kid').doNothing())
    .execute();
}

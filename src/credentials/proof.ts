import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EmbeddedJWK, errors, type JWK, jwtVerify } from 'jose';
import type { Tx } from '../db/transaction.ts';
import type { Keyring } from '../keyring.ts';
import { InvalidNonceError, InvalidProofError } from './errors.ts';

/** Seconds a c_nonce may be answered with a proof. */
export const nonceLifetimeSeconds = 300;
/** Seconds a proof's `iat` may be off this issuer's clock. */
const proofSkewSeconds = 300;

/**
 * A c_nonce that needs no row until it is spent: its expiry and 128 random bits, with a keyed
 * hash over them, so the public nonce endpoint writes nothing and any instance can check one.
 */
export function newNonce(keyring: Keyring, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + nonceLifetimeSeconds;
  const body = `${expires.toString(36)}.${randomBytes(16).toString('base64url')}`;
  return `${body}.${keyring.keyedHash(`c_nonce|${body}`)}`;
}

/** Checks a c_nonce and spends it in `tx`: a second proof with it is a replay. */
export async function spendNonce(tx: Tx, keyring: Keyring, nonce: unknown, now: Date): Promise<void> {
  if (typeof nonce !== 'string' || nonce.length > 200)
    throw new InvalidNonceError('the proof has no c_nonce');
  const cut = nonce.lastIndexOf('.');
  const body = nonce.slice(0, cut);
  const mac = Buffer.from(nonce.slice(cut + 1));
  const expected = Buffer.from(keyring.keyedHash(`c_nonce|${body}`));
  if (cut < 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new InvalidNonceError('the c_nonce was not issued here');
  }
  const expires = Number.parseInt(body.split('.')[0] ?? '', 36);
  if (!(expires * 1000 > now.getTime()))
    throw new InvalidNonceError('the c_nonce has expired; ask for a new one');
  const spent = await tx
    .insertInto('credential_spent_nonces')
    .values({
      nonce_hash: keyring.keyedHash(`spent c_nonce|${body}`),
      expires_at: new Date(expires * 1000).toISOString(),
    })
    .onConflict((oc) => oc.column('nonce_hash').doNothing())
    .executeTakeFirst();
  if (Number(spent.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw new InvalidNonceError('the c_nonce was used already; ask for a new one');
  }
}

/**
 * Checks a JWT proof of possession (OpenID4VCI 1.0 appendix F.1): typed
 * `openid4vci-proof+jwt`, signed by the key in its own `jwk` header, for this issuer, recent.
 * Returns the holder's public key (for `cnf`) and the c_nonce it answers (spent by the caller).
 */
export async function checkProof(
  jwt: unknown,
  options: { audience: string; now: Date },
): Promise<{ holderJwk: JWK; nonce: unknown }> {
  if (typeof jwt !== 'string' || jwt.length > 8_000) throw new InvalidProofError('the proof is not a JWT');
  try {
    const { payload, protectedHeader } = await jwtVerify(jwt, EmbeddedJWK, {
      typ: 'openid4vci-proof+jwt',
      audience: options.audience,
      algorithms: ['EdDSA', 'Ed25519', 'ES256'],
      currentDate: options.now,
      maxTokenAge: proofSkewSeconds,
      clockTolerance: proofSkewSeconds,
    });
    const { d: _private, ...holderJwk } = protectedHeader.jwk as JWK;
    return { holderJwk, nonce: payload.nonce };
  } catch (error) {
    if (error instanceof errors.JOSEError)
      throw new InvalidProofError(`the proof does not hold: ${proofFailure(error)}`);
    throw error;
  }
}

function proofFailure(error: errors.JOSEError): string {
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'it is not signed by the key in its jwk header';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason}`;
  return error.message;
}

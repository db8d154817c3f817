import { webcrypto } from 'node:crypto';
import { sha256b64url, splitSdJwt } from './sd-jwt.ts';
import { StatusBits, statusValid } from './status-list.ts';

// What a world (or an airline) runs to check an mdis credential presented to it, with no call to
// mdis but for the issuer's keys and the status list, both public and cacheable. Depends on
// node:crypto only; docs/credentials.md describes the same steps for any language.

/** Why a presentation is refused: each failure has its own reason. */
export type FailureReason =
  | 'malformed'
  | 'wrong_type'
  | 'untrusted_issuer'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'tampered_disclosure'
  | 'key_binding_missing'
  | 'key_binding_signature'
  | 'key_binding_audience'
  | 'key_binding_nonce'
  | 'key_binding_sd_hash'
  | 'key_binding_stale'
  | 'status_unavailable'
  | 'revoked';

export type Verification =
  | {
      ok: true;
      /** The disclosed claims only. */
      claims: Record<string, unknown>;
      vct: string;
      /** The credential's own pseudonym: not the person's digital ID, not shared with another credential. */
      sub: string;
      expiresAt: Date;
    }
  | { ok: false; reason: FailureReason; message: string };

interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid?: string;
}

export interface VerifierOptions {
  /** The issuer's identifier (mdis's public URL): `iss` must equal it. */
  issuer: string;
  /** The issuer's published keys (from `/.well-known/jwt-vc-issuer` or the JWKS). */
  keys: Jwk[];
  /** Fetches a status list token (`GET <uri>`); the verifier checks its signature. */
  fetchStatusList(uri: string): Promise<string>;
  now?: () => Date;
  /** Seconds a key-binding JWT may be old (default 300). */
  maxKeyBindingAgeSeconds?: number;
}

interface VerifyKey {
  key: webcrypto.CryptoKey;
  algorithm: { name: string; hash?: string };
}

/** A public key for WebCrypto's `verify`: Ed25519 (EdDSA) or P-256 (ES256), nothing else. */
async function importVerifyKey(jwk: Jwk, reason: FailureReason): Promise<VerifyKey> {
  const { kty, crv, x, y } = jwk;
  const ed = kty === 'OKP' && crv === 'Ed25519';
  const ec = kty === 'EC' && crv === 'P-256';
  if (!ed && !ec) throw new Refused(reason, `keys of type ${kty}/${crv} are not accepted`);
  try {
    const key = await webcrypto.subtle.importKey(
      'jwk',
      { kty, crv, x, ...(ec ? { y } : {}) },
      ed ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return { key, algorithm: ed ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' } };
  } catch {
    throw new Refused(reason, 'the key does not import');
  }
}

/** Holder keys kept imported, the oldest dropped first. */
const holderCacheSize = 4_096;

class Refused extends Error {
  readonly reason: FailureReason;

  constructor(reason: FailureReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Verifies presentations of mdis SD-JWT VCs: signature, disclosures, key binding, expiry, status. */
export class PresentationVerifier {
  readonly #options: VerifierOptions;
  readonly #keys = new Map<string, Jwk>();
  readonly #imported = new Map<string, Promise<VerifyKey>>();
  readonly #lists = new Map<string, { bits: StatusBits; until: number }>();
  readonly #holders = new Map<string, Promise<VerifyKey>>();
  readonly #now: () => Date;

  constructor(options: VerifierOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    for (const jwk of options.keys) {
      if (jwk.kid !== undefined) this.#keys.set(jwk.kid, jwk);
    }
  }

  /** `audience` and `nonce` are what this verifier asked the holder to sign in the key binding. */
  async verify(presentation: string, expected: { audience: string; nonce: string }): Promise<Verification> {
    try {
      return await this.#verify(presentation, expected);
    } catch (error) {
      if (error instanceof Refused) return { ok: false, reason: error.reason, message: error.message };
      return {
        ok: false,
        reason: 'malformed',
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }

  async #verify(presentation: string, expected: { audience: string; nonce: string }): Promise<Verification> {
    const parts = splitSdJwt(presentation);
    const { header, payload } = await this.#verifyJwt(
      parts.jwt,
      (h) => this.#issuerKey(h.kid),
      'bad_signature',
    );
    if (header.typ !== 'dc+sd-jwt')
      throw new Refused('wrong_type', `typ is ${String(header.typ)}, not dc+sd-jwt`);
    if (payload.iss !== this.#options.issuer)
      throw new Refused('untrusted_issuer', `iss is ${String(payload.iss)}`);
    const now = this.#now().getTime() / 1000;
    if (typeof payload.exp !== 'number' || payload.exp <= now)
      throw new Refused('expired', 'the credential has expired');
    const claims = disclosed(parts.disclosures, payload);
    await this.#checkKeyBinding(parts, payload, expected, now);
    await this.#checkStatus(payload);
    return {
      ok: true,
      claims,
      vct: String(payload.vct),
      sub: String(payload.sub),
      expiresAt: new Date(payload.exp * 1000),
    };
  }

  #issuerKey(kid: unknown): Promise<VerifyKey> {
    const jwk = typeof kid === 'string' ? this.#keys.get(kid) : undefined;
    if (jwk === undefined) throw new Refused('unknown_key', `no published key "${String(kid)}"`);
    let key = this.#imported.get(jwk.kid!);
    if (key === undefined) {
      key = importVerifyKey(jwk, 'unknown_key');
      this.#imported.set(jwk.kid!, key);
    }
    return key;
  }

  // WebCrypto, as the library does: its Ed25519 verification is no slower than node:crypto's
  // one-shot `verify`, and it runs off the main thread.
  async #verifyJwt(
    jwt: string,
    keyOf: (header: Record<string, unknown>) => Promise<VerifyKey>,
    reason: FailureReason,
  ) {
    const [h, p, s] = jwt.split('.');
    if (h === undefined || p === undefined || s === undefined)
      throw new Refused('malformed', 'not a compact JWS');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { key, algorithm } = await keyOf(header);
    const ok = await webcrypto.subtle.verify(
      algorithm,
      key,
      Buffer.from(s, 'base64url'),
      Buffer.from(`${h}.${p}`),
    );
    if (!ok) throw new Refused(reason, 'the signature does not verify');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header, payload };
  }

  async #checkKeyBinding(
    parts: ReturnType<typeof splitSdJwt>,
    payload: Record<string, unknown>,
    expected: { audience: string; nonce: string },
    now: number,
  ): Promise<void> {
    if (parts.kb === '') throw new Refused('key_binding_missing', 'the presentation has no key-binding JWT');
    const cnf = (payload.cnf as { jwk?: Jwk } | undefined)?.jwk;
    if (cnf === undefined) throw new Refused('key_binding_missing', 'the credential has no cnf.jwk');
    const holder = this.#holderKey(cnf);
    const { header, payload: kb } = await this.#verifyJwt(parts.kb, () => holder, 'key_binding_signature');
    if (header.typ !== 'kb+jwt')
      throw new Refused('key_binding_signature', 'the key-binding JWT is not typed kb+jwt');
    if (kb.aud !== expected.audience)
      throw new Refused('key_binding_audience', `signed for ${String(kb.aud)}`);
    if (kb.nonce !== expected.nonce)
      throw new Refused('key_binding_nonce', 'the nonce is not the one asked for');
    const withoutKb = `${parts.jwt}~${parts.disclosures.map((d) => `${d}~`).join('')}`;
    if (kb.sd_hash !== sha256b64url(withoutKb)) {
      throw new Refused('key_binding_sd_hash', 'the key binding is for other disclosures');
    }
    const age = this.#options.maxKeyBindingAgeSeconds ?? 300;
    if (typeof kb.iat !== 'number' || Math.abs(now - kb.iat) > age) {
      throw new Refused('key_binding_stale', 'the key-binding JWT is not recent');
    }
  }

  // A holder presents again and again with the same key: importing it is a third of a verification.
  #holderKey(jwk: Jwk): Promise<VerifyKey> {
    const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y}`;
    let key = this.#holders.get(id);
    if (key === undefined) {
      key = importVerifyKey(jwk, 'key_binding_signature');
      // A key that does not import is not kept: the next presentation tries it afresh.
      key.catch(() => this.#holders.delete(id));
      if (this.#holders.size >= holderCacheSize) this.#holders.delete(this.#holders.keys().next().value!);
      this.#holders.set(id, key);
    }
    return key;
  }

  async #checkStatus(payload: Record<string, unknown>): Promise<void> {
    const entry = (payload.status as { status_list?: { idx?: unknown; uri?: unknown } } | undefined)
      ?.status_list;
    if (typeof entry?.idx !== 'number' || typeof entry.uri !== 'string') {
      throw new Refused('status_unavailable', 'the credential names no status list entry');
    }
    const status = (await this.#list(entry.uri)).status(entry.idx);
    if (status === undefined) throw new Refused('status_unavailable', 'the status index is outside the list');
    if (status !== statusValid) throw new Refused('revoked', 'the issuer has revoked this credential');
  }

  /** A status list, fetched and verified, kept for the `ttl` its token gives. */
  async #list(uri: string): Promise<StatusBits> {
    const now = this.#now().getTime();
    const cached = this.#lists.get(uri);
    if (cached !== undefined && cached.until > now) return cached.bits;
    let token: string;
    try {
      token = await this.#options.fetchStatusList(uri);
    } catch (error) {
      throw new Refused('status_unavailable', `the status list could not be fetched: ${String(error)}`);
    }
    const { header, payload } = await this.#verifyJwt(
      token,
      (h) => this.#issuerKey(h.kid),
      'status_unavailable',
    );
    const expired = typeof payload.exp === 'number' && payload.exp * 1000 <= now;
    if (header.typ !== 'statuslist+jwt' || payload.sub !== uri || expired) {
      throw new Refused('status_unavailable', 'the status list token is not this list, or has expired');
    }
    const bits = StatusBits.fromClaim(payload.status_list as { bits: number; lst: string });
    const ttl = typeof payload.ttl === 'number' ? payload.ttl : 0;
    this.#lists.set(uri, { bits, until: now + ttl * 1000 });
    return bits;
  }
}

/** The claims of the disclosures presented, each found by its digest in `_sd`. */
function disclosed(disclosures: string[], payload: Record<string, unknown>): Record<string, unknown> {
  const digests = new Set(Array.isArray(payload._sd) ? (payload._sd as string[]) : []);
  if (payload._sd_alg !== 'sha-256') throw new Refused('malformed', '_sd_alg is not sha-256');
  const claims: Record<string, unknown> = {};
  for (const disclosure of disclosures) {
    const digest = sha256b64url(disclosure);
    if (!digests.delete(digest)) {
      throw new Refused(
        'tampered_disclosure',
        'a disclosure is not among those the issuer signed (or is repeated)',
      );
    }
    const decoded = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(decoded) || decoded.length !== 3 || typeof decoded[1] !== 'string') {
      throw new Refused('malformed', 'a disclosure is not [salt, name, value]');
    }
    const name = decoded[1];
    if (name === '_sd' || name === '...' || name in claims || name in payload) {
      throw new Refused('malformed', `a disclosure may not name "${name}"`);
    }
    claims[name] = decoded[2];
  }
  return claims;
}

import { createHash, type KeyObject, randomBytes, sign } from 'node:crypto';

// SD-JWT (RFC 9901) as mdis issues it: every claim of a credential in its own disclosure, the
// digests sorted in the top-level `_sd` (so their order says nothing of the claims'), SHA-256,
// signed with Ed25519 by node:crypto directly. Pure apart from the salts' randomness; the verifier
// (verifier.ts) and the tests (an independent path, with `jose`) read what this writes.

/** One selectively disclosable claim: `[salt, name, value]`, base64url of its JSON. */
export interface Disclosure {
  name: string;
  value: unknown;
  /** The disclosure as it travels. */
  encoded: string;
  /** base64url(SHA-256(encoded)), as listed in `_sd`. */
  digest: string;
}

export const b64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

export function sha256b64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Disclosures for these claims, each under its own 128-bit salt (RFC 9901 section 9.3). */
export function discloseAll(claims: Record<string, unknown>): Disclosure[] {
  const names = Object.keys(claims);
  const salts = randomBytes(16 * names.length);
  return names.map((name, i) => {
    const salt = salts.subarray(16 * i, 16 * (i + 1)).toString('base64url');
    const encoded = b64url(JSON.stringify([salt, name, claims[name]]));
    return { name, value: claims[name], encoded, digest: sha256b64url(encoded) };
  });
}

/** A compact JWS signed with an Ed25519 key (alg EdDSA). */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

/**
 * An SD-JWT as issued: `<issuer-signed JWT>~<disclosure>~...~` (no key binding: the holder adds
 * it when presenting). `payload` holds what is always visible; every entry of `disclosable`
 * becomes a disclosure.
 */
export function issueSdJwt(options: {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  disclosable: Record<string, unknown>;
  key: KeyObject;
}): { sdJwt: string; disclosures: Disclosure[] } {
  const disclosures = discloseAll(options.disclosable);
  const sd = disclosures.map((d) => d.digest).sort();
  const jwt = signJwt(options.header, { ...options.payload, _sd: sd, _sd_alg: 'sha-256' }, options.key);
  return { sdJwt: `${jwt}~${disclosures.map((d) => `${d.encoded}~`).join('')}`, disclosures };
}

/** The parts of an SD-JWT or of a presentation (`kb` is empty when there is no key binding). */
export interface SdJwtParts {
  jwt: string;
  disclosures: string[];
  kb: string;
}

export function splitSdJwt(text: string): SdJwtParts {
  const parts = text.split('~');
  if (parts.length < 2) throw new Error('an SD-JWT has at least one "~"');
  return { jwt: parts[0]!, disclosures: parts.slice(1, -1), kb: parts.at(-1)! };
}

/** The presentation of chosen disclosures, with a key-binding JWT made by `signKb`. */
export function present(
  sdJwt: string,
  keep: (name: string) => boolean,
  signKb: (sdHash: string) => string,
): string {
  const { jwt, disclosures } = splitSdJwt(sdJwt);
  const chosen = disclosures.filter((d) => {
    const [, name] = JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as [string, string];
    return keep(name);
  });
  const withoutKb = `${jwt}~${chosen.map((d) => `${d}~`).join('')}`;
  return `${withoutKb}${signKb(sha256b64url(withoutKb))}`;
}

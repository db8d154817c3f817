import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';

// biome-ignore lint/suspicious/noExplicitAny: JSON of any shape; each test asserts the fields it expects
export async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}

/**
 * The claims an SD-JWT discloses, checked by hand and not through the issuing code: each
 * disclosure hashed and found in `_sd`, with a salt of at least 16 characters.
 */
export function openByHand(sdJwt: string) {
  const parts = sdJwt.split('~');
  const payload = decodeJwt(parts[0]!) as Record<string, unknown> & { _sd: string[] };
  const claims: Record<string, unknown> = {};
  for (const disclosure of parts.slice(1, -1)) {
    const digest = createHash('sha256').update(disclosure).digest('base64url');
    assert.ok(payload._sd.includes(digest), 'a disclosure is not in _sd');
    const [salt, name, value] = JSON.parse(Buffer.from(disclosure, 'base64url').toString()) as [
      string,
      string,
      unknown,
    ];
    assert.ok(salt.length >= 16, 'the salt is short');
    claims[name] = value;
  }
  return { payload, claims, jwt: parts[0]! };
}

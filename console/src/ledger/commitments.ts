import { sha256, utf8 } from './bytes.ts';

/** One opening of an entry's commitment, as GET /v1/me/log gives it. */
export interface BrowserOpening {
  ref: string;
  value: string | null;
  salt: string;
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function toBase64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Whether `opening` opens the commitment of the entry (the public log's text) it belongs to:
 * base64url(SHA-256(salt ‖ canonical JSON of {ref, value})), computed here with WebCrypto. The
 * canonical JSON of two keys in this order, with a string or null each, is JSON.stringify's.
 */
export async function opensInBrowser(entry: string, opening: BrowserOpening): Promise<boolean> {
  const committed = (JSON.parse(entry) as { commitments?: Record<string, string> }).commitments?.[
    opening.ref
  ];
  if (committed === undefined) return false;
  const canonical = `{"ref":${JSON.stringify(opening.ref)},"value":${JSON.stringify(opening.value)}}`;
  return toBase64url(await sha256(fromBase64url(opening.salt), utf8(canonical))) === committed;
}

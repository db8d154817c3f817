import { ApiError, del, get, getWithToken, post, setCsrf, setToken } from './api.ts';
import type { Whoami } from './types.ts';
import { createPasskey, usePasskey } from './webauthn.ts';

/** The session a passkey sign-in starts (a cookie the page cannot read, and its CSRF token). */
interface SessionAnswer {
  principal: Whoami;
  csrfToken: string;
  expiresAt: string;
  recoveryCodeIssuedAt?: string;
}

export interface PasskeySignIn {
  me: Whoami;
  /** A registrar issued a recovery code since the last sign-in: the person is told. */
  recoveryCodeIssuedAt?: string;
}

function started(answer: SessionAnswer): PasskeySignIn {
  setCsrf(answer.csrfToken);
  return { me: answer.principal, recoveryCodeIssuedAt: answer.recoveryCodeIssuedAt };
}

/** The session of this browser's cookie, if it has a live one. */
export async function resumeSession(): Promise<Whoami | undefined> {
  const { session } = await get<{ session: SessionAnswer | null }>('/v1/session/current');
  return session === null ? undefined : started(session).me;
}

/** Signs in with a passkey. */
export async function signInWithPasskey(): Promise<PasskeySignIn> {
  const options = await post<Record<string, unknown>>('/v1/session/options', {});
  const credential = await usePasskey(options);
  return started(await post<SessionAnswer>('/v1/session', { credential }));
}

/** Uses an activation code: registers the first passkey and signs in. */
export async function activate(code: string): Promise<PasskeySignIn> {
  const options = await post<Record<string, unknown>>('/v1/activation/options', { code });
  const credential = await createPasskey(options);
  return started(await post<SessionAnswer>('/v1/activation', { code, credential }));
}

/**
 * The token lives in sessionStorage: it survives a reload but not the tab, and is never sent
 * anywhere but this origin's API.
 */
const key = 'mdis.token';

export function storedToken(): string | undefined {
  return sessionStorage.getItem(key) ?? undefined;
}

/** The API refused a token offered to sign in (unknown, revoked, or mistyped). */
export class TokenRefusedError extends Error {
  override name = 'TokenRefusedError';
  constructor() {
    super('That token is not valid. Check that it was copied whole, or ask an admin for a new one.');
  }
}

/**
 * The token of a sign-in link (`/#token=…`), taken out of the address bar at once so that it is
 * left neither on screen nor in the history. The fragment never reaches the server.
 */
export function takeLinkToken(): string | undefined {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) return undefined;
  history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}

/** Checks the token with the API and keeps it if the API knows it; TokenRefusedError if not. */
export async function signIn(token: string): Promise<Whoami> {
  const known = await whoIs(token);
  keepToken(known.token);
  return known.me;
}

/** Asks the API whose a token is, without signing in with it; TokenRefusedError if it knows none. */
export async function whoIs(token: string): Promise<{ token: string; me: Whoami }> {
  const trimmed = token.trim().replace(/^bearer\s+/i, '');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(trimmed)) {
    throw new ApiError({
      status: 400,
      code: 'invalid_token',
      message: 'a token is letters, digits, "_" and "-" only, as `mdis admin principal create` printed it',
    });
  }
  try {
    return { token: trimmed, me: await getWithToken<Whoami>('/v1/whoami', trimmed) };
  } catch (error) {
    throw error instanceof ApiError && error.status === 401 ? new TokenRefusedError() : error;
  }
}

/** Signs this tab in with a token the API knows (see `whoIs`). */
export function keepToken(token: string): void {
  setToken(token);
  sessionStorage.setItem(key, token);
}

export function signOut(): void {
  if (storedToken() === undefined) void del('/v1/session').catch(() => {});
  sessionStorage.removeItem(key);
  setToken(undefined);
  setCsrf(undefined);
}

import { ApiError, del, get, post, setCsrf, setToken } from './api.ts';
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

/** Checks the token with the API and keeps it if the API knows it. */
export async function signIn(token: string): Promise<Whoami> {
  const trimmed = token.trim().replace(/^bearer\s+/i, '');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(trimmed)) {
    throw new ApiError({
      status: 400,
      code: 'invalid_token',
      message: 'a token is letters, digits, "_" and "-" only, as `mdis admin principal create` printed it',
    });
  }
  setToken(trimmed);
  try {
    const me = await get<Whoami>('/v1/whoami');
    sessionStorage.setItem(key, trimmed);
    return me;
  } catch (error) {
    setToken(undefined);
    throw error;
  }
}

export function signOut(): void {
  if (storedToken() === undefined) void del('/v1/session').catch(() => {});
  sessionStorage.removeItem(key);
  setToken(undefined);
  setCsrf(undefined);
}

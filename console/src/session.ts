import { ApiError, get, setToken } from './api.ts';
import type { Whoami } from './types.ts';

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
  sessionStorage.removeItem(key);
  setToken(undefined);
}

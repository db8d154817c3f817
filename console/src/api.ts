/** The mdis API as the console calls it: same origin, bearer token, one error shape. */

/** An answer of the API's error shape, `{"error", "message", "field"?}`, or a failure to reach it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly retryAfter: number | undefined;
  /** The answer's other fields (a duplicate's `existingId`, say). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(options: {
    status: number;
    code: string;
    message: string;
    field?: string;
    retryAfter?: number;
    details?: Record<string, unknown>;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.field = options.field;
    this.retryAfter = options.retryAfter;
    this.details = options.details ?? {};
  }
}

let token: string | undefined;
/** The session's CSRF token, sent on writes when signed in by passkey (a session cookie). */
let csrf: string | undefined;

export function setCsrf(value: string | undefined): void {
  csrf = value;
}
const unauthenticatedListeners = new Set<() => void>();

export function setToken(value: string | undefined): void {
  token = value;
}

/** Called when the API no longer accepts the token (revoked while signed in). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

async function send(method: string, path: string, body?: unknown, candidate?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, text/plain' };
  const bearer = candidate ?? token;
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  else if (csrf !== undefined && method !== 'GET') headers['x-csrf-token'] = csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'unreachable',
      message: 'the mdis server could not be reached; check the connection and try again',
    });
  }
  if (response.ok) return response;
  // A token being tried is not a sign-in lost: its refusal is the caller's to explain.
  throw await errorOf(response, candidate === undefined);
}

async function errorOf(response: Response, notify: boolean): Promise<ApiError> {
  let parsed: { error?: unknown; message?: unknown; field?: unknown; [other: string]: unknown } = {};
  try {
    parsed = (await response.json()) as typeof parsed;
  } catch {
    // Not the API's error shape (a proxy in between, say): the status alone must do.
  }
  const retry = Number(response.headers.get('retry-after'));
  const error = new ApiError({
    status: response.status,
    code: typeof parsed.error === 'string' ? parsed.error : `http_${response.status}`,
    message: typeof parsed.message === 'string' ? parsed.message : response.statusText || 'no details given',
    field: typeof parsed.field === 'string' ? parsed.field : undefined,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    details: parsed !== null && typeof parsed === 'object' ? parsed : {},
  });
  if (notify && response.status === 401 && (token !== undefined || csrf !== undefined))
    for (const listener of unauthenticatedListeners) listener();
  return error;
}

export async function get<T>(path: string): Promise<T> {
  return (await send('GET', path)).json() as Promise<T>;
}

/** A GET with a token not yet accepted (a sign-in): a 401 says nothing about the current sign-in. */
export async function getWithToken<T>(path: string, candidate: string): Promise<T> {
  return (await send('GET', path, undefined, candidate)).json() as Promise<T>;
}

export async function getText(path: string): Promise<string> {
  return (await send('GET', path)).text();
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await send('POST', path, body)).json() as Promise<T>;
}

export async function patch<T>(path: string, body: unknown): Promise<T> {
  return (await send('PATCH', path, body)).json() as Promise<T>;
}

export type { Page } from './types.ts';

/** A DELETE answered with 204. */
export async function del(path: string): Promise<void> {
  await send('DELETE', path);
}

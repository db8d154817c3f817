import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../errors.ts';
import type { Principal } from '../principals/roles.ts';
import { CsrfRefusedError } from './errors.ts';
import {
  csrfMatches,
  readCookie,
  type Session,
  type SessionService,
  sessionCookie,
} from './session-service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The person's session when the request came with a session cookie. */
    session: Session | undefined;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Authenticates a request by its session cookie. A write must carry the session's CSRF token in
 * `x-csrf-token`: SameSite=Strict already keeps other sites' forms out, the token keeps out
 * anything that slips past it (an old browser, a sibling subdomain).
 */
export function sessionAuthenticator(app: FastifyInstance, sessions: SessionService) {
  app.decorateRequest('session', undefined);
  return async (request: FastifyRequest): Promise<Principal> => {
    const session = await sessionOf(request, sessions);
    if (session === undefined) throw new UnauthenticatedError('sign in, or send a bearer token');
    if (
      !safeMethods.has(request.method) &&
      !csrfMatches(session.csrfToken, header(request, 'x-csrf-token'))
    ) {
      throw new CsrfRefusedError();
    }
    request.session = session;
    return session.principal;
  };
}

/** The live session of the request's cookie, if any. */
export async function sessionOf(
  request: FastifyRequest,
  sessions: SessionService,
): Promise<Session | undefined> {
  const cookie = readCookie(request.headers.cookie, sessionCookie);
  if (cookie === undefined || cookie.length === 0 || cookie.length > 100) return undefined;
  return sessions.authenticate(cookie);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

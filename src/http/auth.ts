import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionAuthenticator } from '../auth/session-auth.ts';
import type { SessionService } from '../auth/session-service.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import type { PrincipalService } from '../principals/principal-service.ts';
import type { Principal, Role } from '../principals/roles.ts';
import type { RateLimiter } from './rate-limit.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The roles that may call the route; a route without it is public. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

const bearer = /^bearer ([A-Za-z0-9_-]{1,200})$/i;

export interface Limiters {
  /** Per principal, on the routes that need a token. */
  principals: RateLimiter;
  /** Per client address, on the routes that need none (and unknown paths): they cost the same to anyone. */
  publicRoutes: RateLimiter;
  /** Failed authentications per client address: over it, a token is refused before the store is asked. */
  failures: RateLimiter;
  /** Milliseconds, for the buckets (tests give their own). */
  clock: () => number;
}

/**
 * Authenticates before the body is read: a request without a valid token, over its rate, or of
 * the wrong role is refused before anything else happens. A public route is limited per client
 * address instead.
 */
export function installAuth(
  app: FastifyInstance,
  principals: PrincipalService,
  limits: Limiters,
  sessions?: SessionService,
): void {
  app.decorateRequest('principal', undefined);
  // People sign in with passkeys and hold a session cookie; machines send a bearer token.
  const bySession = sessions === undefined ? undefined : sessionAuthenticator(app, sessions);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config?.roles;
    if (roles === undefined) {
      limits.publicRoutes.take(request.ip, limits.clock());
      return;
    }
    const principal = await authenticate(request, { principals, limits, bySession });
    limits.principals.take(principal.id, limits.clock());
    if (!roles.includes(principal.role)) {
      throw new ForbiddenError(
        `role ${principal.role} may not ${request.method} ${request.routeOptions.url}`,
      );
    }
    request.principal = principal;
  });
}

/**
 * The principal of the request's bearer token, or of its session cookie when it has no token. An
 * address whose credentials keep failing is refused (429) before its next one is looked up.
 */
async function authenticate(
  request: FastifyRequest,
  by: {
    principals: PrincipalService;
    limits: Limiters;
    bySession: ((request: FastifyRequest) => Promise<Principal>) | undefined;
  },
): Promise<Principal> {
  const { limits } = by;
  const header = request.headers.authorization;
  // Nothing presented: nothing to look up, and not a failed attempt.
  if (header === undefined && by.bySession === undefined) throw new UnauthenticatedError();
  if (header === undefined && request.headers.cookie === undefined) {
    throw new UnauthenticatedError('sign in, or send a bearer token');
  }
  limits.failures.check(request.ip, limits.clock());
  try {
    return header === undefined ? await by.bySession!(request) : await byBearer(by.principals, header);
  } catch (error) {
    if (error instanceof UnauthenticatedError) limits.failures.take(request.ip, limits.clock());
    throw error;
  }
}

async function byBearer(principals: PrincipalService, header: string): Promise<Principal> {
  const token = bearer.exec(header)?.[1];
  if (token === undefined)
    throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
  const principal = await principals.authenticate(token);
  if (principal === undefined) throw new UnauthenticatedError('the token is unknown or revoked');
  return principal;
}

/** The caller of a route that declares roles (the auth hook has already checked it). */
export function caller(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new UnauthenticatedError();
  return request.principal;
}

/** A platform acts in its own world only; other roles allowed on the route are not bound to one. */
export function assertWorldScope(principal: Principal, world: string): void {
  if (principal.role === 'platform' && principal.world !== world) {
    throw new ForbiddenError(`this platform acts for world "${principal.world}", not "${world}"`);
  }
}

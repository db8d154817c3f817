import type { FastifyInstance, FastifyRequest } from 'fastify';
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
export function installAuth(app: FastifyInstance, principals: PrincipalService, limits: Limiters): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config?.roles;
    if (roles === undefined) {
      limits.publicRoutes.take(request.ip, limits.clock());
      return;
    }
    const header = request.headers.authorization;
    if (header === undefined) throw new UnauthenticatedError();
    // An address that keeps sending bad tokens is refused (429) before its next one is looked up.
    limits.failures.check(request.ip, limits.clock());
    const token = bearer.exec(header)?.[1];
    const principal = token === undefined ? undefined : await principals.authenticate(token);
    if (principal === undefined) {
      limits.failures.take(request.ip, limits.clock());
      throw new UnauthenticatedError(
        token === undefined
          ? 'the Authorization header must be "Bearer <token>"'
          : 'the token is unknown or revoked',
      );
    }
    limits.principals.take(principal.id, limits.clock());
    if (!roles.includes(principal.role)) {
      throw new ForbiddenError(
        `role ${principal.role} may not ${request.method} ${request.routeOptions.url}`,
      );
    }
    request.principal = principal;
  });
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

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

/**
 * Authenticates before the body is read: a request without a valid token, over its rate, or of
 * the wrong role is refused before anything else happens.
 */
export function installAuth(
  app: FastifyInstance,
  principals: PrincipalService,
  limiter: RateLimiter,
  sessions?: SessionService,
): void {
  app.decorateRequest('principal', undefined);
  // People sign in with passkeys and hold a session cookie; machines send a bearer token.
  const bySession = sessions === undefined ? undefined : sessionAuthenticator(app, sessions);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.roles;
    if (roles === undefined) return;
    const header = request.headers.authorization;
    let principal: Principal | undefined;
    if (header === undefined && bySession !== undefined) {
      principal = await bySession(request);
    } else {
      if (header === undefined) throw new UnauthenticatedError();
      const token = bearer.exec(header)?.[1];
      if (token === undefined)
        throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
      principal = await principals.authenticate(token);
      if (principal === undefined) throw new UnauthenticatedError('the token is unknown or revoked');
    }
    limiter.take(principal.id, Date.now());
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

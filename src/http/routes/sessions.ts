import Type from 'typebox';
import { SessionSummary } from '../../api/sessions.ts';
import { readCookie, sessionCookie } from '../../auth/session-service.ts';
import type { AppContext } from '../../context.ts';
import { roles } from '../../principals/roles.ts';
import { sessionIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const everyone = roles;

/** The caller's own sessions: list them, end one (sign-in.ts ends this one, or all). */
export function sessionRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/sessions',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Your live sessions, newest first; `current` marks the one of the cookie sent',
        description:
          'A principal signed in by bearer token sees the sessions of its passkey sign-ins, none current.',
        response: responses({ 200: Type.Object({ items: Type.Array(SessionSummary) }) }),
      },
    },
    async (request) => {
      // Only the session that authenticated this request is current, never a stray cookie.
      const cookie =
        request.session === undefined ? undefined : readCookie(request.headers.cookie, sessionCookie);
      return { items: await ctx.sessions.listOf(caller(request).id, cookie) };
    },
  );

  app.delete(
    '/v1/sessions/:id',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'End one of your sessions (signs that browser out)',
        description: '404 session_not_found for an id that is none of your live sessions.',
        params: Type.Object({ id: Type.String({ pattern: sessionIdPattern }) }),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await ctx.sessions.endOne(caller(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

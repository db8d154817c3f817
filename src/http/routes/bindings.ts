import Type from 'typebox';
import { Binding } from '../../api/avatars.ts';
import type { AppContext } from '../../context.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Principal } from '../../principals/roles.ts';
import { handlePattern, worldIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const subject = ['subject'] as const;

function subjectOf(principal: Principal): string {
  if (principal.subject === undefined) throw new ForbiddenError('only a subject has avatars');
  return principal.subject;
}

/** The person's avatar bindings, made by consent; ending one tells the world by webhook. */
export function bindingRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/me/bindings',
    {
      config: { roles: subject },
      schema: {
        tags: ['sign-in'],
        summary: 'Your avatars, world by world',
        response: responses({ 200: Type.Object({ items: Type.Array(Binding) }) }),
      },
    },
    async (request) => ({ items: await ctx.bindings.list(subjectOf(caller(request))) }),
  );

  app.delete(
    '/v1/me/bindings/:world/:handle',
    {
      config: { roles: subject },
      schema: {
        tags: ['sign-in'],
        summary: 'End a binding: the world is told (avatar.unbound) and its grants revoked',
        params: Type.Object({
          world: Type.String({ pattern: worldIdPattern }),
          handle: Type.String({ pattern: handlePattern }),
        }),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      await ctx.bindings.end(subjectOf(principal), request.params.world, request.params.handle, principal.id);
      return reply.status(204).send(null);
    },
  );
}

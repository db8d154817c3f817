import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { checkRegistration } from '../../oidc/client-service.ts';
import { worldIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';
import { ClientRegistration, RegisteredClient } from './oidc-clients.ts';

const admin = ['admin'] as const;

export function worldRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/worlds',
    {
      config: { roles: admin },
      schema: {
        tags: ['worlds'],
        summary: 'Register a world and create the platform principal that acts for it',
        body: Type.Object(
          {
            id: Type.String({ pattern: worldIdPattern, description: 'lower case, digits and hyphens' }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            oidc: Type.Optional(ClientRegistration),
          },
          { additionalProperties: false },
        ),
        response: responses({
          201: Type.Object({
            world: Type.Object({ id: Type.String(), name: Type.String(), createdAt: Type.String() }),
            platform: Type.Object({ id: Type.String(), token: Type.String({ description: 'shown once' }) }),
            oidc: Type.Optional(RegisteredClient),
          }),
        }),
      },
    },
    async (request, reply) => {
      const { oidc, ...world } = request.body;
      // Checked first: a bad registration leaves no world behind.
      if (oidc !== undefined) checkRegistration(oidc);
      const created = await ctx.worlds.create(world, caller(request).id);
      const client = oidc && (await ctx.oidc.clients.register(world.id, oidc, caller(request).id));
      return reply.status(201).send({ ...created, oidc: client });
    },
  );
}

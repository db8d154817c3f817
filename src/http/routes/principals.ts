import Type from 'typebox';
import { peopleRoles } from '../../auth/activation-service.ts';
import type { AppContext } from '../../context.ts';
import { roles } from '../../principals/roles.ts';
import { StringEnum } from '../../util/validation.ts';
import { caller } from '../auth.ts';
import { authed, PageQuery, responses } from '../schemas.ts';
import type { Api } from '../server.ts';
import { Activation } from './subjects.ts';

export const PrincipalBody = Type.Object({
  id: Type.String(),
  role: StringEnum(roles),
  name: Type.String(),
  world: Type.Optional(Type.String()),
  actions: Type.Optional(Type.Array(Type.String())),
  jurisdiction: Type.Optional(Type.String()),
  subject: Type.Optional(Type.String()),
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});

const NewPrincipal = Type.Object(
  {
    role: StringEnum(roles),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    world: Type.Optional(Type.String({ description: 'platform: the world it acts for' })),
    actions: Type.Optional(
      Type.Array(Type.String(), {
        minItems: 1,
        maxItems: 100,
        description: 'service: its action categories',
      }),
    ),
    jurisdiction: Type.Optional(Type.String({ description: 'authority: ISO 3166 code' })),
    subject: Type.Optional(Type.String({ description: 'subject: its own digital ID' })),
  },
  { additionalProperties: false },
);

const admin = ['admin'] as const;

export function principalRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/principals',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Create a principal; its token is in the answer and nowhere else',
        ...authed(admin),
        body: NewPrincipal,
        response: responses({
          201: Type.Object({ principal: PrincipalBody, token: Type.String(), activation: Activation }),
        }),
      },
    },
    async (request, reply) => {
      // People (staff and subjects) also get an activation code to register a passkey with.
      const created = await ctx.db.transaction().execute(async (trx) => {
        const actor = caller(request).id;
        const made = await ctx.principals.create(request.body, { actor, db: trx });
        if (!peopleRoles.includes(made.principal.role)) return made;
        const issued = await ctx.activation.issue(trx, {
          principalId: made.principal.id,
          purpose: 'staff',
          actor,
        });
        return { ...made, activation: { ...issued, link: ctx.activationLink(issued.code) } };
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/v1/principals',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'List principals, oldest first',
        ...authed(admin),
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(PrincipalBody), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) =>
      ctx.principals.list({ cursor: request.query.cursor, limit: request.query.limit ?? 50 }),
  );

  app.post(
    '/v1/principals/:id/revoke',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Revoke a principal: its token stops working at once',
        ...authed(admin),
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: responses({ 200: PrincipalBody }),
      },
    },
    async (request) => ctx.principals.revoke(request.params.id, caller(request).id),
  );
}

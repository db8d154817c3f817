import Type from 'typebox';
import { NewPrincipal, PrincipalRecord } from '../../api/principals.ts';
import { peopleRoles } from '../../auth/activation-service.ts';
import type { AppContext } from '../../context.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';
import { Activation } from './subjects.ts';

const admin = ['admin'] as const;

export function principalRoutes(app: Api, ctx: AppContext): void {
  createPrincipal(app, ctx);
  listPrincipals(app, ctx);
  revokePrincipal(app, ctx);
}

function createPrincipal(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/principals',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Create a principal; its token is in the answer and nowhere else',
        body: NewPrincipal,
        response: responses({
          201: Type.Object({
            principal: PrincipalRecord,
            token: Type.String(),
            activation: Type.Optional(Activation),
          }),
        }),
      },
    },
    async (request, reply) => {
      // People (staff and subjects) also get an activation code to register a passkey with.
      const created = await inTransaction(ctx.db, async (trx) => {
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
}

function listPrincipals(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/principals',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'List principals, oldest first',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(PrincipalRecord), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) =>
      ctx.principals.list({ cursor: request.query.cursor, limit: request.query.limit ?? 50 }),
  );
}

function revokePrincipal(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/principals/:id/revoke',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Revoke a principal: its token stops working at once',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: responses({ 200: PrincipalRecord }),
      },
    },
    async (request) => ctx.principals.revoke(request.params.id, caller(request).id),
  );
}

import Type from 'typebox';
import { NewPrincipal, PrincipalRecord } from '../../api/principals.ts';
import type { IssuedCode } from '../../auth/activation-service.ts';
import type { AppContext } from '../../context.ts';
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
      const { activation, ...created } = await ctx.activation.createPrincipal(
        request.body,
        caller(request).id,
      );
      return reply
        .status(201)
        .send(activation === undefined ? created : { ...created, activation: withLink(ctx, activation) });
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

function withLink(ctx: AppContext, activation: IssuedCode) {
  return { ...activation, link: ctx.activationLink(activation.code) };
}

import Type from 'typebox';
import { NewPrincipal, PrincipalName, PrincipalProposal, PrincipalRecord } from '../../api/principals.ts';
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
  principalNames(app, ctx);
}

/** The roles whose screens show who acted (a decision, a disclosure, a proposal). */
const readersOfNames = ['admin', 'registrar', 'moderator', 'authority', 'oversight', 'auditor'] as const;

function principalNames(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/principals/names',
    {
      config: { roles: readersOfNames },
      schema: {
        tags: ['principals'],
        summary: 'The names of principals by id, for screens that show who acted',
        description:
          'Staff and machine principals only: a subject principal’s name is the person’s, and is left out, as ' +
          'are ids that name no principal. `ids` is comma-separated, at most 100.',
        querystring: Type.Object(
          { ids: Type.String({ minLength: 1, maxLength: 3000, pattern: '^[a-z0-9_]+(,[a-z0-9_]+){0,99}$' }) },
          { additionalProperties: false },
        ),
        response: responses({ 200: Type.Object({ items: Type.Array(PrincipalName) }) }),
      },
    },
    async (request) => ({ items: await ctx.principals.namesOf([...new Set(request.query.ids.split(','))]) }),
  );
}

function createPrincipal(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/principals',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Create a principal; its token is in the answer and nowhere else',
        description:
          'An admin, oversight or auditor principal takes two admins: the answer is 202 with a pending proposal ' +
          'that another admin approves (POST /v1/principal-proposals/{id}/approve); 409 second_admin_required ' +
          'while only one admin exists. Any other role is created at once (201).',
        body: NewPrincipal,
        response: responses({ 201: Created, 202: Proposed }),
      },
    },
    async (request, reply) => {
      const made = await ctx.principalProposals.create(request.body, caller(request).id);
      if ('proposal' in made) return reply.status(202).send(made);
      return reply.status(201).send(createdWithLink(ctx, made));
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
        description:
          'An admin, oversight or auditor principal takes two admins: the answer is 202 with a pending proposal.',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: responses({ 200: PrincipalRecord, 202: Proposed }),
      },
    },
    async (request, reply) => {
      const done = await ctx.principalProposals.revoke(request.params.id, caller(request).id);
      return reply.status('proposal' in done ? 202 : 200).send(done);
    },
  );
}

/** A principal made: people (staff and subjects) also get an activation code, with its link. */
export const Created = Type.Object({
  principal: PrincipalRecord,
  token: Type.String(),
  activation: Type.Optional(Activation),
});

const Proposed = Type.Object({ proposal: PrincipalProposal });

export function createdWithLink<T extends { activation?: IssuedCode }>(ctx: AppContext, made: T) {
  const { activation, ...rest } = made;
  return activation === undefined
    ? rest
    : { ...rest, activation: { ...activation, link: ctx.activationLink(activation.code) } };
}

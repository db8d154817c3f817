import Type from 'typebox';
import { PrincipalProposal, proposalStatuses } from '../../api/principals.ts';
import type { AppContext } from '../../context.ts';
import { recordIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/string-enum.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';
import { Created, createdWithLink } from './principals.ts';

const admin = ['admin'] as const;
const IdParams = Type.Object({ id: Type.String({ pattern: recordIdPattern('ppr') }) });

/** Two admins for the overseeing roles: the proposals one admin makes and another decides. */
export function principalProposalRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/principal-proposals',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Proposals to create or revoke an admin, oversight or auditor principal, newest first',
        querystring: Type.Object(
          { ...PageQuery, status: Type.Optional(StringEnum(proposalStatuses)) },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({ items: Type.Array(PrincipalProposal), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const { status, cursor, limit } = request.query;
      return ctx.principalProposals.list({ status, cursor, limit: limit ?? 50 });
    },
  );

  app.get(
    '/v1/principal-proposals/:id',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'One proposal',
        params: IdParams,
        response: responses({ 200: PrincipalProposal }),
      },
    },
    async (request) => ctx.principalProposals.get(request.params.id),
  );

  app.post(
    '/v1/principal-proposals/:id/approve',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Approve a pending proposal: the change is made at once',
        description:
          'By an admin other than its proposer (403 own_proposal). A creation answers the new principal’s token ' +
          'and activation code to the approver, once. 409 proposal_closed when decided, expired, or its proposer ' +
          'was revoked since.',
        params: IdParams,
        response: responses({
          200: Type.Object({
            proposal: PrincipalProposal,
            ...Type.Partial(Created).properties,
          }),
        }),
      },
    },
    async (request) =>
      createdWithLink(ctx, await ctx.principalProposals.approve(request.params.id, caller(request).id)),
  );

  app.post(
    '/v1/principal-proposals/:id/refuse',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary: 'Refuse a pending proposal: nothing changes',
        description: 'By an admin other than its proposer (403 own_proposal).',
        params: IdParams,
        response: responses({ 200: PrincipalProposal }),
      },
    },
    async (request) => ctx.principalProposals.refuse(request.params.id, caller(request).id),
  );
}

import Type from 'typebox';
import { Preservation, PreservationExtension, PreservationOrder } from '../../api/rights.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { recordIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const authority = ['authority'] as const;
const readers = ['authority', 'oversight', 'auditor'] as const;

function targetOf(given: PreservationOrder['target']) {
  const { world, handle, subject } = given;
  if (subject !== undefined && world === undefined && handle === undefined) {
    return { subject: parseDigitalId(subject, 'target.subject') };
  }
  if (subject === undefined && world !== undefined && handle !== undefined) return { world, handle };
  throw new ValidationError('target', 'give either world and handle, or subject');
}

export function preservationRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/preservations',
    {
      config: { roles: authority },
      schema: {
        tags: ['access'],
        summary: 'Order a subject’s data preserved, up to 90 days: its erasure waits',
        description:
          '201 with the order. 422 legal_basis_required (with the missing `field`) without a complete legal basis (kind, reference, issuedBy); nothing is written. The person is told once the gag of the offence’s category (its disclosure gagDays) has ended.',
        body: PreservationOrder,
        response: responses({ 201: Preservation }),
      },
    },
    async (request, reply) => {
      const order = { ...request.body, target: targetOf(request.body.target) };
      reply.code(201);
      return ctx.preservations.order(order, caller(request));
    },
  );

  app.post(
    '/v1/preservations/:id/extend',
    {
      config: { roles: authority },
      schema: {
        tags: ['access'],
        summary: 'Extend your preservation order once, by up to 90 days from its end',
        description: '409 preservation_extended the second time; 409 preservation_lapsed once it has ended.',
        params: Type.Object({ id: Type.String({ pattern: recordIdPattern('prs') }) }),
        body: PreservationExtension,
        response: responses({ 200: Preservation }),
      },
    },
    async (request) => ctx.preservations.extend(request.params.id, request.body.days, caller(request)),
  );

  app.get(
    '/v1/preservations',
    {
      config: { roles: readers },
      schema: {
        tags: ['access'],
        summary: 'Preservation orders, newest first: an authority’s own; all for oversight and auditors',
        response: responses({ 200: Type.Object({ items: Type.Array(Preservation) }) }),
      },
    },
    async (request) => ({ items: await ctx.preservations.list(caller(request)) }),
  );
}

import Type from 'typebox';
import {
  CorrectionIdParam,
  CorrectionQueueQuery,
  CorrectionRefusal,
  CorrectionReview,
  CorrectionSummary,
  MyCorrection,
  NewCorrection,
} from '../../api/corrections.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const subject = ['subject'] as const;
const registrar = ['registrar'] as const;
const IdParams = Type.Object({ id: CorrectionIdParam });
const pageOf = <T extends Type.TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), cursor: Type.Optional(Type.String()) });

export function correctionRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/corrections',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary: 'Propose a correction of one of your attributes, with a reason; a registrar decides it',
        description:
          '400 invalid_request for an unknown field or a value a registrar could not set either; 422 not_correctable ' +
          'for a sign; 409 correction_unchanged when it is the recorded value, correction_pending while another ' +
          'correction of the field is pending. Nothing is written on any of them.',
        body: NewCorrection,
        response: responses({ 201: MyCorrection }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      const correction = await ctx.corrections.propose(principal.subject!, request.body, principal.id);
      return reply.status(201).send(correction);
    },
  );

  app.get(
    '/v1/me/corrections',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary:
          'Your corrections, newest first: the value and reason you gave, the outcome and any refusal reason',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({ 200: pageOf(MyCorrection) }),
      },
    },
    async (request) =>
      ctx.corrections.ofSubject(caller(request).subject!, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      }),
  );

  app.get(
    '/v1/corrections',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'The corrections of one status (pending unless given), oldest first; no values',
        querystring: Type.Object({ ...CorrectionQueueQuery, ...PageQuery }, { additionalProperties: false }),
        response: responses({ 200: pageOf(CorrectionSummary) }),
      },
    },
    async (request) =>
      ctx.corrections.queue(request.query.status ?? 'pending', {
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      }),
  );
  decisionRoutes(app, ctx);
}

function decisionRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/corrections/:id',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'A correction with the field’s current and proposed value',
        description:
          'A read of the person’s profile: a `subject.read` log entry with purpose `correction`, that the person ' +
          'sees in GET /v1/me/access, committed before the values are answered.',
        params: IdParams,
        response: responses({ 200: CorrectionReview }),
      },
    },
    async (request) => ctx.corrections.review(request.params.id, caller(request)),
  );

  app.post(
    '/v1/corrections/:id/accept',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'Accept a pending correction: the attribute version is added as PATCH would add it',
        description:
          '409 correction_closed when already decided; correction_unchanged when the field has the value by now; ' +
          'duplicate_identity when the corrected identity document is another subject’s.',
        params: IdParams,
        response: responses({ 200: CorrectionSummary }),
      },
    },
    async (request) => ctx.corrections.accept(request.params.id, caller(request).id),
  );

  app.post(
    '/v1/corrections/:id/refuse',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'Refuse a pending correction with a reason the person is shown',
        description: '409 correction_closed when already decided.',
        params: IdParams,
        body: CorrectionRefusal,
        response: responses({ 200: CorrectionSummary }),
      },
    },
    async (request) => ctx.corrections.refuse(request.params.id, request.body.reason, caller(request).id),
  );
}

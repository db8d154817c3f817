import Type from 'typebox';
import { Sanction, sanctionRequestFields } from '../../api/sanctions.ts';
import type { AppContext } from '../../context.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { recordIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, PageQuery, responses } from '../schemas.ts';

const moderator = ['moderator'] as const;
const readers = ['moderator', 'admin'] as const;
const IdParams = Type.Object({ id: Type.String({ pattern: recordIdPattern('snc') }) });

export function sanctionRoutes(app: Api, ctx: AppContext): void {
  imposeSanction(app, ctx);
  liftSanction(app, ctx);
  listSanctions(app, ctx);
}

function imposeSanction(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/sanctions',
    {
      config: { roles: moderator },
      schema: {
        tags: ['enforcement'],
        summary: 'Impose a sanction directly (decisions impose theirs with the decision)',
        body: Type.Object(
          {
            subject: DigitalIdParam,
            ...sanctionRequestFields,
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
            caseId: Type.Optional(Type.String({ pattern: recordIdPattern('case') })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Sanction }),
      },
    },
    async (request, reply) => {
      const subject = parseDigitalId(request.body.subject, 'subject');
      const sanction = await ctx.sanctions.impose(
        { ...request.body, subject, source: 'manual' },
        caller(request).id,
      );
      return reply.status(201).send(sanction);
    },
  );
}

function liftSanction(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/sanctions/:id/lift',
    {
      config: { roles: moderator },
      schema: {
        tags: ['enforcement'],
        summary: 'Lift an active sanction (409 if it is already lifted or expired)',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: responses({ 200: Sanction }),
      },
    },
    async (request) => ctx.sanctions.lift(request.params.id, request.body.reason, caller(request).id),
  );
}

function listSanctions(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/sanctions',
    {
      config: { roles: readers },
      schema: {
        tags: ['enforcement'],
        summary: 'Sanctions, newest first, of one subject or of all',
        querystring: Type.Object(
          {
            subject: Type.Optional(DigitalIdParam),
            status: Type.Optional(StringEnum(['active', 'lifted', 'expired'])),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({ items: Type.Array(Sanction), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const { subject, status, cursor, limit } = request.query;
      return ctx.sanctions.list({
        subject: subject === undefined ? undefined : parseDigitalId(subject, 'subject'),
        status,
        cursor,
        limit: limit ?? 50,
      });
    },
  );
}

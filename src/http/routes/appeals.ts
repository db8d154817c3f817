import Type from 'typebox';
import { Appeal, AppealDecision, NewAppeal } from '../../api/appeals.ts';
import type { AppContext } from '../../context.ts';
import { recordIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const subject = ['subject'] as const;
const hearers = ['moderator', 'oversight'] as const;
const IdParams = Type.Object({ id: Type.String({ pattern: recordIdPattern('apl') }) });

export function appealRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/appeals',
    {
      config: { roles: subject },
      schema: {
        tags: ['appeals'],
        summary: 'Appeal an adverse decision about yourself: once, within the policy’s window for its kind',
        description:
          'A case’s upheld decision, a sanction imposed directly or a credit contribution counted without a decision ' +
          '(a negative event its category counts directly) go to the moderators; a disclosure, once its ' +
          'notice is given, to oversight. 409 already_appealed or not_appealable; 422 appeal_window_expired.',
        body: NewAppeal,
        response: responses({ 201: Appeal }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      const appeal = await ctx.appeals.file(request.body, principal.subject!, principal.id);
      return reply.status(201).send(appeal);
    },
  );

  app.get(
    '/v1/appeals',
    {
      config: { roles: hearers },
      schema: {
        tags: ['appeals'],
        summary: 'The pending appeals the caller’s role hears, oldest first, paged with an opaque cursor',
        description: 'A malformed cursor is a 400 invalid_request.',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(Appeal), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const role = caller(request).role as (typeof hearers)[number];
      return ctx.appeals.queue(role, { cursor: request.query.cursor, limit: request.query.limit ?? 50 });
    },
  );

  app.post(
    '/v1/appeals/:id/decision',
    {
      config: { roles: hearers },
      schema: {
        tags: ['appeals'],
        summary: 'Decide a pending appeal: upheld, or overturned with every effect undone',
        description: 'Never by who made the decision appealed (403 own_decision).',
        params: IdParams,
        body: AppealDecision,
        response: responses({ 200: Appeal }),
      },
    },
    async (request) => ctx.appeals.decide(request.params.id, request.body, caller(request)),
  );
}

import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { recordIdPattern, worldIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';
import { sanctionRequestFields } from './sanctions.ts';

const caseStatuses = ['open', 'decided', 'appealed', 'closed'] as const;

export const CaseSummary = Type.Object({
  id: Type.String(),
  world: Type.String(),
  handle: Type.String(),
  subject: Type.String(),
  category: Type.String(),
  status: StringEnum(caseStatuses),
  reportCount: Type.Integer(),
  openedAt: Type.String(),
  updatedAt: Type.String(),
  decision: Type.Optional(
    Type.Object({
      outcome: Type.String(),
      severity: Type.Optional(Type.Integer()),
      decidedAt: Type.String(),
      decidedBy: Type.String(),
    }),
  ),
  appeal: Type.Optional(
    Type.Object({
      status: Type.String(),
      appealedAt: Type.String(),
      decidedAt: Type.Optional(Type.String()),
    }),
  ),
  rationale: Type.Optional(Type.String()),
  appealReason: Type.Optional(Type.String()),
  appealRationale: Type.Optional(Type.String()),
});

const CaseDetail = Type.Object({
  ...CaseSummary.properties,
  reports: Type.Array(
    Type.Object({
      id: Type.String(),
      reporter: Type.String(),
      description: Type.String(),
      evidence: Type.Array(Type.Object({ sha256: Type.String(), uri: Type.String() })),
      occurredAt: Type.String(),
      receivedAt: Type.String(),
    }),
  ),
});

const moderator = ['moderator'] as const;
const readers = ['moderator', 'admin'] as const;
const subject = ['subject'] as const;
const IdParams = Type.Object({ id: Type.String({ pattern: recordIdPattern('case') }) });
const text = Type.String({ minLength: 1, maxLength: 4000 });

export function caseRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/cases',
    {
      config: { roles: readers },
      schema: {
        tags: ['conduct'],
        summary: 'The case queue, oldest first, filtered by status, category and world',
        querystring: Type.Object(
          {
            status: Type.Optional(StringEnum(caseStatuses)),
            category: Type.Optional(Type.String({ maxLength: 40 })),
            world: Type.Optional(Type.String({ pattern: worldIdPattern })),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({ items: Type.Array(CaseSummary), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const { category } = request.query;
      // A mistyped category would otherwise be an empty queue that looks like a quiet day.
      if (category !== undefined && ctx.policy.category(category) === undefined) {
        throw new ValidationError('category', `"${category}" is not a conduct category in the policy`);
      }
      return ctx.cases.list({ ...request.query, limit: request.query.limit ?? 50 });
    },
  );

  app.get(
    '/v1/cases/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['conduct'],
        summary: 'A case with its reports and evidence',
        params: IdParams,
        response: responses({ 200: CaseDetail }),
      },
    },
    async (request) => ctx.cases.get(request.params.id),
  );

  app.post(
    '/v1/cases/:id/decision',
    {
      config: { roles: moderator },
      schema: {
        tags: ['conduct'],
        summary: 'Decide an open case: upheld (with severity, strikes and sanctions) or dismissed',
        params: IdParams,
        body: Type.Object(
          {
            outcome: StringEnum(['upheld', 'dismissed']),
            severity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
            rationale: text,
            sanctions: Type.Optional(
              Type.Array(Type.Object(sanctionRequestFields, { additionalProperties: false }), {
                maxItems: 10,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: CaseDetail }),
      },
    },
    async (request) => ctx.decisions.decide(request.params.id, request.body, caller(request).id),
  );

  app.post(
    '/v1/cases/:id/appeal',
    {
      config: { roles: subject },
      schema: {
        tags: ['conduct'],
        summary: 'Appeal an upheld decision about yourself: once, within the policy’s window',
        params: IdParams,
        body: Type.Object({ reason: text }, { additionalProperties: false }),
        response: responses({ 200: CaseSummary }),
      },
    },
    async (request) => {
      const principal = caller(request);
      const { reports: _reports, ...view } = await ctx.decisions.appeal(
        request.params.id,
        request.body.reason,
        principal.subject!,
        principal.id,
      );
      return view;
    },
  );

  app.post(
    '/v1/cases/:id/appeal/decision',
    {
      config: { roles: moderator },
      schema: {
        tags: ['conduct'],
        summary: 'Decide a pending appeal; overturning lifts the case’s sanctions and strikes',
        params: IdParams,
        body: Type.Object(
          { outcome: StringEnum(['upheld', 'overturned']), rationale: text },
          { additionalProperties: false },
        ),
        response: responses({ 200: CaseDetail }),
      },
    },
    async (request) => ctx.decisions.decideAppeal(request.params.id, request.body, caller(request).id),
  );
}

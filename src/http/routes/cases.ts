import Type from 'typebox';
import { CaseDetail, CaseSummary, DecisionPreview } from '../../api/cases.ts';
import { sanctionRequestFields } from '../../api/sanctions.ts';
import { caseStatuses } from '../../api/words.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { recordIdPattern, worldIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const moderator = ['moderator'] as const;
const readers = ['moderator', 'admin'] as const;
const subject = ['subject'] as const;
const IdParams = Type.Object({ id: Type.String({ pattern: recordIdPattern('case') }) });
const text = Type.String({ minLength: 1, maxLength: 4000 });

export function caseRoutes(app: Api, ctx: AppContext): void {
  listCases(app, ctx);
  readCase(app, ctx);
  decideCase(app, ctx);
  previewDecision(app, ctx);
  appealCase(app, ctx);
  decideAppeal(app, ctx);
}

function listCases(app: Api, ctx: AppContext): void {
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
}

function readCase(app: Api, ctx: AppContext): void {
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
}

function decideCase(app: Api, ctx: AppContext): void {
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
}

function previewDecision(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/cases/:id/decision/preview',
    {
      config: { roles: moderator },
      schema: {
        tags: ['conduct'],
        summary: 'What upholding the case would do, before it is recorded',
        description:
          'The severities its category allows; with ?severity=, the strikes it adds, the active strikes before ' +
          'and after, the ladder’s sanction it reaches and the points. Writes nothing.',
        params: IdParams,
        querystring: Type.Object(
          { severity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) },
          { additionalProperties: false },
        ),
        response: responses({ 200: DecisionPreview }),
      },
    },
    async (request) => ctx.decisions.preview(request.params.id, request.query.severity),
  );
}

function appealCase(app: Api, ctx: AppContext): void {
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
}

function decideAppeal(app: Api, ctx: AppContext): void {
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

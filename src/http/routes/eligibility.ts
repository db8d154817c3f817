import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { type EligibilityReason, eligibilityReasons } from '../../enforcement/eligibility-index.ts';
import { MdisError } from '../../errors.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { worldIdPattern } from '../../identity/world-service.ts';
import { caller } from '../auth.ts';
import { authed, DigitalIdParam, responses } from '../schemas.ts';
import type { Api } from '../server.ts';

const checkers = ['service', 'platform'] as const;
const Check = {
  subject: DigitalIdParam,
  action: Type.String({ maxLength: 60, description: 'an action of the policy, in the caller’s scope' }),
  world: Type.Optional(
    Type.String({ pattern: worldIdPattern, description: 'for world actions checked by a service' }),
  ),
};
const Answer = Type.Object({
  allowed: Type.Boolean(),
  // An enum of strings, not a union of literals: the answer is serialised as a plain string.
  reason: Type.Unsafe<EligibilityReason>({
    type: 'string',
    enum: eligibilityReasons,
    description: 'the gravest sanction kind that denies, else grade when the credit grade does',
  }),
  sanctionIds: Type.Array(Type.String()),
});

export function eligibilityRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/eligibility',
    {
      config: { roles: checkers },
      schema: {
        tags: ['enforcement'],
        summary: 'May this subject do this action? Says nothing else about the subject',
        ...authed(checkers),
        querystring: Type.Object(Check, { additionalProperties: false }),
        response: responses({ 200: Answer }),
      },
    },
    async (request) => {
      const { subject, action, world } = request.query;
      return ctx.eligibility.checkFor(caller(request), parseDigitalId(subject, 'subject'), action, world);
    },
  );

  app.post(
    '/v1/eligibility',
    {
      config: { roles: checkers },
      schema: {
        tags: ['enforcement'],
        summary: 'Up to 1,000 checks at once, answered per item',
        ...authed(checkers),
        body: Type.Object(
          {
            checks: Type.Array(Type.Object(Check, { additionalProperties: false }), {
              minItems: 1,
              maxItems: 1000,
            }),
          },
          { additionalProperties: false },
        ),
        response: responses({
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                index: Type.Integer(),
                allowed: Type.Optional(Type.Boolean()),
                reason: Type.Optional(Type.String()),
                sanctionIds: Type.Optional(Type.Array(Type.String())),
                error: Type.Optional(Type.String()),
                message: Type.Optional(Type.String()),
              }),
            ),
          }),
        }),
      },
    },
    async (request) => {
      const principal = caller(request);
      const results = [];
      for (const [index, check] of request.body.checks.entries()) {
        try {
          const subject = parseDigitalId(check.subject, `checks.${index}.subject`);
          results.push({
            index,
            ...(await ctx.eligibility.checkFor(principal, subject, check.action, check.world)),
          });
        } catch (error) {
          if (!(error instanceof MdisError)) throw error;
          results.push({ index, error: error.code, message: error.message });
        }
      }
      return { results };
    },
  );
}

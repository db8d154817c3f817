import Type, { type Static } from 'typebox';
import type { AppContext } from '../../context.ts';
import type { Eligibility } from '../../enforcement/eligibility-index.ts';
import { eligibilityReasons } from '../../enforcement/eligibility-index.ts';
import { itemError, MdisError, ValidationError } from '../../errors.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { servicePseudonymPattern } from '../../identity/service-pseudonyms.ts';
import type { Principal } from '../../principals/roles.ts';
import { worldIdPattern } from '../../util/patterns.ts';
import { type Check, compileCheck, StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { Batch, DigitalIdParam, responses } from '../schemas.ts';

const checkers = ['service', 'platform'] as const;
const checkFields = {
  subject: Type.Optional(DigitalIdParam),
  pseudonym: Type.Optional(
    Type.String({
      pattern: servicePseudonymPattern,
      description:
        'instead of subject: the calling service’s own pseudonym for the person (the `sub` of its sign-in)',
    }),
  ),
  action: Type.String({ maxLength: 60, description: 'an action of the policy, in the caller’s scope' }),
  world: Type.Optional(
    Type.String({ pattern: worldIdPattern, description: 'for world actions checked by a service' }),
  ),
};
const CheckItem = Type.Object(checkFields, { additionalProperties: false });
const checkItem: Check<Static<typeof CheckItem>> = compileCheck(CheckItem);
const maxChecks = 1000;
const Answer = Type.Object({
  allowed: Type.Boolean(),
  reason: StringEnum(eligibilityReasons, {
    description: 'the gravest sanction kind that denies, else grade when the credit grade does',
  }),
  sanctionIds: Type.Array(Type.String()),
});

export function eligibilityRoutes(app: Api, ctx: AppContext): void {
  checkEligibility(app, ctx);
  checkEligibilityBatch(app, ctx);
}

function checkEligibility(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/eligibility',
    {
      config: { roles: checkers },
      schema: {
        tags: ['enforcement'],
        summary:
          'May this subject (by digital ID, or by the service’s own pseudonym) do this action? Says nothing else about the subject',
        querystring: Type.Object(checkFields, { additionalProperties: false }),
        response: responses({ 200: Answer }),
      },
    },
    async (request) => checkOne(ctx, caller(request), request.query, ''),
  );
}

function checkEligibilityBatch(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/eligibility',
    {
      config: { roles: checkers },
      schema: {
        tags: ['enforcement'],
        summary: 'Up to 1,000 checks at once, answered per item',
        body: Type.Object(
          {
            checks: Batch(CheckItem, maxChecks),
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
                field: Type.Optional(Type.String()),
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
          checkItem(check, `checks.${index}`);
          results.push({ index, ...(await checkOne(ctx, principal, check, `checks.${index}.`)) });
        } catch (error) {
          if (!(error instanceof MdisError)) throw error;
          results.push({ index, ...itemError(error) });
        }
      }
      return { results };
    },
  );
}

/** One check, by digital ID or by the caller's own pseudonym: exactly one of them. */
function checkOne(
  ctx: AppContext,
  principal: Principal,
  check: Static<typeof CheckItem>,
  prefix: string,
): Promise<Eligibility> {
  const { subject, pseudonym, action, world } = check;
  if ((subject === undefined) === (pseudonym === undefined)) {
    throw new ValidationError(`${prefix}subject`, 'name either subject (a digital ID) or pseudonym');
  }
  if (pseudonym !== undefined)
    return ctx.eligibility.checkByPseudonymFor(principal, pseudonym, action, world);
  return ctx.eligibility.checkFor(principal, parseDigitalId(subject!, `${prefix}subject`), action, world);
}

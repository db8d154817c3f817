import Type from 'typebox';
import type { Target } from '../../access/disclosure-view.ts';
import { DisclosureDetail, DisclosureRequest, DisclosureSummary } from '../../api/disclosures.ts';
import { disclosureStatuses } from '../../api/words.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { recordIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
const text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const authority = ['authority'] as const;
const oversight = ['oversight'] as const;
const readers = ['authority', 'oversight', 'auditor'] as const;
const IdParams = Type.Object({ id: Type.String({ pattern: recordIdPattern('dsc') }) });
const Verdict = Type.Object({ reason: text(2000) }, strict);

function targetOf(given: { world?: string; handle?: string; subject?: string }): Target {
  const { world, handle, subject } = given;
  if (subject !== undefined && world === undefined && handle === undefined) {
    return { subject: parseDigitalId(subject, 'target.subject') };
  }
  if (subject === undefined && world !== undefined && handle !== undefined) return { world, handle };
  throw new ValidationError('target', 'give either world and handle, or subject');
}

export function disclosureRoutes(app: Api, ctx: AppContext): void {
  requestDisclosure(app, ctx);
  decideDisclosure(app, ctx);
  readDisclosure(app, ctx);
  listDisclosures(app, ctx);
}

function requestDisclosure(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/disclosures',
    {
      config: { roles: authority },
      schema: {
        tags: ['access'],
        summary: 'Ask for the identity behind an avatar or subject, under a legal basis',
        description: `201 with the status: pending until oversight decides, granted at once for an emergency or where the policy needs no oversight. 422 refused_by_policy (with reason) when the policy refuses it; the refusal is logged. The request names the case it concerns (\`case\`), unless the policy lets the offence's category go without one: 422 case_required when it names none, case_not_about_target when the case is not about the target (or does not exist), case_category_mismatch when it is of another category; nothing is written. Without a case only a warrant or court order suffices and oversight always decides. The answer is the same whether the target exists.`,
        body: DisclosureRequest,
        response: responses({
          201: Type.Object({ id: Type.String(), status: StringEnum(disclosureStatuses) }),
        }),
      },
    },
    async (request, reply) => {
      const { target, legalBasis, ...rest } = request.body;
      const expiresAt = new Date(legalBasis.expiresAt).toISOString();
      const created = await ctx.disclosures.request(
        { ...rest, target: targetOf(target), legalBasis: { ...legalBasis, expiresAt } },
        caller(request),
      );
      return reply.status(201).send(created);
    },
  );
}

function decideDisclosure(app: Api, ctx: AppContext): void {
  for (const verdict of ['approve', 'refuse'] as const) {
    app.post(
      `/v1/disclosures/:id/${verdict}`,
      {
        config: { roles: oversight },
        schema: {
          tags: ['access'],
          summary:
            verdict === 'approve'
              ? 'Approve a pending request, or confirm an emergency disclosure on review'
              : 'Refuse a pending request, or revoke an emergency disclosure on review',
          description: `409 disclosure_decided when already decided (or reviewed).`,
          params: IdParams,
          body: Verdict,
          response: responses({ 200: DisclosureDetail }),
        },
      },
      async (request) =>
        ctx.oversight.decide(request.params.id, verdict, request.body.reason, caller(request).id),
    );
  }
}

function readDisclosure(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/disclosures/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['access'],
        summary: 'A disclosure; to the authority that asked, once granted, the identity in scope (logged)',
        description: `An authority sees its own only (another's is 404). Auditors see no texts. 422 refused_by_policy (reason legal_basis_expired) when the legal basis has expired, and 422 review_overdue when an emergency disclosure is past its review deadline unreviewed (until oversight confirms it); the attempt is logged.`,
        params: IdParams,
        response: responses({ 200: DisclosureDetail }),
      },
    },
    async (request) => ctx.disclosureReader.read(request.params.id, caller(request)),
  );
}

function listDisclosures(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/disclosures',
    {
      config: { roles: readers },
      schema: {
        tags: ['access'],
        summary: 'Disclosures, newest first: an authority’s own, or all',
        querystring: Type.Object(
          {
            status: Type.Optional(StringEnum(disclosureStatuses)),
            emergency: Type.Optional(Type.Boolean()),
            overdue: Type.Optional(
              Type.Boolean({ description: 'emergency ones past their review deadline' }),
            ),
            ...PageQuery,
          },
          strict,
        ),
        response: responses({
          200: Type.Object({ items: Type.Array(DisclosureSummary), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) =>
      ctx.disclosures.list({ ...request.query, caller: caller(request), limit: request.query.limit ?? 50 }),
  );
}

import Type from 'typebox';
import type { Target } from '../../access/disclosure-view.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { attributeGroups } from '../../identity/attributes.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { legalBasisKinds } from '../../policy/disclosure-rules.ts';
import { handlePattern, recordIdPattern, worldIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, PageQuery, responses } from '../schemas.ts';

const statuses = ['pending', 'granted', 'refused'] as const;
const strict = { additionalProperties: false } as const;
const Group = Type.Record(Type.String(), Type.Unknown());

export const DisclosureSummary = Type.Object({
  id: Type.String(),
  status: StringEnum(statuses),
  authority: Type.String({ description: 'the principal that asked' }),
  jurisdiction: Type.String(),
  emergency: Type.Boolean(),
  legalBasis: Type.Object({
    kind: StringEnum(legalBasisKinds),
    expiresAt: Type.String(),
    reference: Type.Optional(Type.String()),
    issuedBy: Type.Optional(Type.String()),
  }),
  offence: Type.String(),
  scope: Type.Array(StringEnum(attributeGroups)),
  createdAt: Type.String(),
  decidedAt: Type.Optional(Type.String()),
  decidedBy: Type.Optional(Type.String({ description: '"policy" when granted on request' })),
  reviewDueAt: Type.Optional(Type.String({ description: 'emergency: oversight reviews it by then' })),
  reviewedAt: Type.Optional(Type.String()),
  reviewedBy: Type.Optional(Type.String()),
  overdue: Type.Boolean({ description: 'an emergency disclosure past its review deadline, unreviewed' }),
  gagUntil: Type.String({ description: 'the subject is told from then on' }),
  reads: Type.Integer(),
});

const DisclosureDetail = Type.Object({
  ...DisclosureSummary.properties,
  target: Type.Optional(
    Type.Object({
      world: Type.Optional(Type.String()),
      handle: Type.Optional(Type.String()),
      subject: Type.Optional(Type.String()),
    }),
  ),
  purpose: Type.Optional(Type.String()),
  oversightReason: Type.Optional(Type.String()),
  identity: Type.Optional(
    Type.Object(
      {
        found: Type.Boolean(),
        subject: Type.Optional(Type.String()),
        kind: Type.Optional(Type.String()),
        natural: Type.Optional(Group),
        social: Type.Optional(Group),
        signs: Type.Optional(Group),
      },
      { description: 'to the asking authority, once granted: the attributes in scope' },
    ),
  ),
});

const text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const RequestBody = Type.Object(
  {
    target: Type.Object(
      {
        world: Type.Optional(Type.String({ pattern: worldIdPattern })),
        handle: Type.Optional(Type.String({ pattern: handlePattern })),
        subject: Type.Optional(DigitalIdParam),
      },
      { ...strict, description: 'an avatar (world and handle) or a subject' },
    ),
    scope: Type.Array(StringEnum(attributeGroups), { minItems: 1, uniqueItems: true }),
    legalBasis: Type.Object(
      {
        kind: StringEnum(legalBasisKinds),
        reference: text(200),
        issuedBy: text(200),
        expiresAt: Type.String({ format: 'date-time' }),
      },
      strict,
    ),
    offence: Type.String({ maxLength: 40, description: 'a conduct category of the policy' }),
    purpose: text(2000),
  },
  strict,
);

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
  app.post(
    '/v1/disclosures',
    {
      config: { roles: authority },
      schema: {
        tags: ['access'],
        summary: 'Ask for the identity behind an avatar or subject, under a legal basis',
        description: `201 with the status: pending until oversight decides, granted at once for an emergency or where the policy needs no oversight. 422 refused_by_policy (with reason) when the policy refuses it; the refusal is logged. The answer is the same whether the target exists.`,
        body: RequestBody,
        response: responses({ 201: Type.Object({ id: Type.String(), status: StringEnum(statuses) }) }),
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

  app.get(
    '/v1/disclosures/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['access'],
        summary: 'A disclosure; to the authority that asked, once granted, the identity in scope (logged)',
        description: `An authority sees its own only (another's is 404). Auditors see no texts. 422 refused_by_policy (reason legal_basis_expired) when the legal basis has expired; the attempt is logged.`,
        params: IdParams,
        response: responses({ 200: DisclosureDetail }),
      },
    },
    async (request) => ctx.disclosureReader.read(request.params.id, caller(request)),
  );

  app.get(
    '/v1/disclosures',
    {
      config: { roles: readers },
      schema: {
        tags: ['access'],
        summary: 'Disclosures, newest first: an authority’s own, or all',
        querystring: Type.Object(
          {
            status: Type.Optional(StringEnum(statuses)),
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

import Type from 'typebox';
import { SubjectProfile } from '../../api/subjects.ts';
import type { AppContext } from '../../context.ts';
import { AttributePatch, Enrolment } from '../../identity/attributes.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, responses } from '../schemas.ts';

/** The person's one-time activation code: shown in this answer only. */
export const Activation = Type.Optional(
  Type.Object({ code: Type.String(), expiresAt: Type.String(), link: Type.String() }),
);

const registrar = ['registrar'] as const;
const readers = ['registrar', 'admin'] as const;
const IdParams = Type.Object({ id: DigitalIdParam });

export function subjectRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/subjects',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'Enrol a person, organisation or government agency',
        description: `409 duplicate_identity (with existingId) when the identity document or registration is already enrolled.`,
        body: Enrolment,
        response: responses({ 201: Type.Object({ ...SubjectProfile.properties, activation: Activation }) }),
      },
    },
    async (request, reply) => {
      const profile = await ctx.subjects.enrol(request.body, caller(request).id);
      // The person's sign-in and its one-time code (a failure here leaves the enrolment: a
      // registrar's POST /v1/subjects/{id}/activation-code issues one later).
      const issued = await ctx.activation.issueAtEnrolment(profile.id, caller(request).id);
      const activation = { ...issued, link: ctx.activationLink(issued.code) };
      return reply.status(201).send({ ...profile, activation });
    },
  );

  app.get(
    '/v1/subjects/:id',
    {
      config: { roles: readers },
      schema: {
        tags: ['identity'],
        summary: 'A subject’s profile, decrypted; every attribute version with ?history=true',
        params: IdParams,
        querystring: Type.Object({ history: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: responses({ 200: SubjectProfile }),
      },
    },
    async (request) =>
      ctx.subjects.get(parseDigitalId(request.params.id), { history: request.query.history ?? false }),
  );

  app.patch(
    '/v1/subjects/:id/attributes',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'Add attribute versions: given fields replace the current ones, null removes one',
        params: IdParams,
        body: AttributePatch,
        response: responses({ 200: SubjectProfile }),
      },
    },
    async (request) =>
      ctx.subjects.updateAttributes(parseDigitalId(request.params.id), request.body, caller(request).id),
  );
}

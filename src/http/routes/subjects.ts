import Type from 'typebox';
import { AttributesChanged, SubjectProfile } from '../../api/subjects.ts';
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
      // The service checks the body whole and names every field's problem; the schema's own check
      // stops at the first, so its failure is kept for the service to report (and thrown after).
      attachValidation: true,
      schema: {
        tags: ['identity'],
        summary: 'Enrol a person, organisation or government agency',
        description:
          "400 invalid_request names every field's problem at once in `fields` ({field, message} each; " +
          "`field` and `message` are the first's), nothing written. " +
          '409 duplicate_identity (with existingId) when the identity document or registration is already enrolled.',
        body: Enrolment,
        response: responses({ 201: Type.Object({ ...SubjectProfile.properties, activation: Activation }) }),
      },
    },
    async (request, reply) => {
      if (request.validationError !== undefined) {
        ctx.subjects.checkEnrolment(request.body);
        throw request.validationError; // not reached while both checks hold one schema
      }
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
        description:
          'Each read names a `purpose` of the policy (`access.readPurposes`) and is a `subject.read` log entry, ' +
          'in the same transaction, that the subject sees (GET /v1/me/access); no log, no data. ' +
          '400 purpose_required or unknown_purpose (with the `purposes` allowed), nothing written.',
        params: IdParams,
        querystring: Type.Object(
          {
            purpose: Type.Optional(Type.String({ maxLength: 40, description: 'why you read it' })),
            history: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: SubjectProfile }),
      },
    },
    async (request) =>
      ctx.profileReads.read(caller(request), parseDigitalId(request.params.id), request.query),
  );

  app.patch(
    '/v1/subjects/:id/attributes',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'Add attribute versions: given fields replace the current ones, null removes one',
        description:
          'Answers with the new versions, not the attributes: reading them is a logged read (GET /v1/subjects/{id}?purpose=).',
        params: IdParams,
        body: AttributePatch,
        response: responses({ 200: AttributesChanged }),
      },
    },
    async (request) =>
      ctx.subjects.updateAttributes(parseDigitalId(request.params.id), request.body, caller(request).id),
  );
  // The purposes a read may name, for the forms that ask (the console's subject screen).
  app.get(
    '/v1/policy/read-purposes',
    {
      config: { roles: readers },
      schema: {
        tags: ['identity'],
        summary: 'The purposes a read of a profile may name (the policy’s access.readPurposes)',
        response: responses({ 200: Type.Object({ purposes: Type.Array(Type.String()) }) }),
      },
    },
    async () => ({ purposes: [...ctx.profileReads.purposes] }),
  );
}

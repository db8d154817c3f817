import Type from 'typebox';
import { ClosureRequest, ErasureStatus } from '../../api/rights.ts';
import type { AppContext } from '../../context.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { DigitalIdParam, responses } from '../schemas.ts';

const subject = ['subject'] as const;
const registrar = ['registrar'] as const;

export function erasureRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/erasure',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary: 'Ask to be erased: scheduled after the retention policy’s days for your kind',
        description:
          '202 with the date from which you will be erased. 409 erasure_blocked (with `reason` and `earliestDate`, null when what holds it has no set end) while an open case, an active sanction or a preservation order holds it; nothing is written. Asking again answers with the erasure already scheduled.',
        response: responses({ 202: ErasureStatus }),
      },
    },
    async (request, reply) => {
      const who = caller(request);
      reply.code(202);
      return ctx.erasures.request(who.subject!, who.id);
    },
  );

  app.get(
    '/v1/me/erasure',
    {
      config: { roles: subject },
      schema: {
        tags: ['subject'],
        summary: 'Your erasure: none, scheduled (from when) or what holds it now',
        response: responses({ 200: ErasureStatus }),
      },
    },
    async (request) => ctx.erasures.status(caller(request).subject!),
  );

  app.post(
    '/v1/subjects/:id/closure',
    {
      config: { roles: registrar },
      schema: {
        tags: ['identity'],
        summary: 'Close a subject (a death, a duplicate enrolment): its erasure is scheduled per retention',
        description:
          '202 with the erasure’s date; what holds an erasure (an open case, an active sanction, a preservation order) holds it when it comes due. 410 erased for a subject already erased.',
        params: Type.Object({ id: DigitalIdParam }),
        body: ClosureRequest,
        response: responses({ 202: ErasureStatus }),
      },
    },
    async (request, reply) => {
      const id = parseDigitalId(request.params.id);
      reply.code(202);
      return ctx.erasures.close(id, request.body.reason, caller(request).id);
    },
  );
}

import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { handlePattern } from '../../identity/avatar-service.ts';
import { worldIdPattern } from '../../identity/world-service.ts';
import { assertWorldScope, caller } from '../auth.ts';
import { authed, responses } from '../schemas.ts';
import type { Api } from '../server.ts';

const platform = ['platform'] as const;

export const Report = Type.Object(
  {
    world: Type.String({ pattern: worldIdPattern }),
    handle: Type.String({ pattern: handlePattern, description: 'the reported avatar' }),
    category: Type.String({ maxLength: 40, description: 'a negative conduct category of the policy' }),
    reporter: Type.String({
      pattern: handlePattern,
      description:
        'the reporting avatar: another avatar bound in the same world (else 422 reporter_not_bound or self_report); counts once per case',
    }),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    evidence: Type.Array(
      Type.Object(
        {
          sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
          uri: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
    occurredAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export function reportRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/reports',
    {
      config: { roles: platform },
      schema: {
        tags: ['conduct'],
        summary:
          'Report an avatar of this world; reports of one avatar and category gather into one open case',
        ...authed(platform),
        body: Report,
        response: responses({
          202: Type.Object({ reportId: Type.String(), caseId: Type.String(), duplicate: Type.Boolean() }),
        }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      assertWorldScope(principal, request.body.world);
      return reply.status(202).send(await ctx.reports.file(request.body, principal.id));
    },
  );
}

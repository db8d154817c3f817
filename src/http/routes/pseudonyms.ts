import { PresentationNonce, PresentationPseudonym, PresentedCredential } from '../../api/pseudonyms.ts';
import type { AppContext } from '../../context.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const service = ['service'] as const;

/**
 * A service learns its pseudonym for a person from a credential the person presented to it
 * (issue 16): first a nonce, then the presentation whose key binding answers it.
 */
export function pseudonymRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/pseudonyms/nonce',
    {
      config: { roles: service },
      schema: {
        tags: ['credentials'],
        summary: 'A single-use nonce for the key binding of a presentation you will send (5 minutes)',
        response: responses({ 200: PresentationNonce }),
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send(ctx.presentations.nonce(caller(request).id)),
  );
  app.post(
    '/v1/pseudonyms',
    {
      config: { roles: service },
      schema: {
        tags: ['credentials'],
        summary:
          'Your pseudonym for the holder of a credential presented to you (the one your sign-in would give)',
        body: PresentedCredential,
        response: responses({ 200: PresentationPseudonym }),
      },
    },
    async (request) => ({
      pseudonym: await ctx.presentations.pseudonymFor(caller(request).id, request.body.presentation),
    }),
  );
}

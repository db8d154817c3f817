import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { handlePattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const Uid = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const Next = Type.Object({ redirectTo: Type.String({ description: 'where the browser goes next' }) });
const subject = ['subject'] as const;

/**
 * mdis's own pages in a world's sign-in: the console shows the consent page, these answer it.
 * The interaction cookie (set by the provider on /oidc/interaction/{uid}) ties them to the
 * browser that started the request; the person's session cookie and its CSRF token to the person.
 */
export function oidcInteractionRoutes(app: Api, ctx: AppContext): void {
  toConsentPage(app);
  interactionDetails(app, ctx);
  consent(app, ctx);
  decline(app, ctx);
}

function toConsentPage(app: Api): void {
  app.get('/oidc/interaction/:uid', { schema: { hide: true, params: Uid } }, async (request, reply) =>
    reply.redirect(`/consent/${request.params.uid}`, 303),
  );
}

function interactionDetails(app: Api, ctx: AppContext): void {
  app.get(
    '/oidc/interaction/:uid/details',
    {
      schema: {
        tags: ['sign-in'],
        summary:
          'The sign-in request a world (or a service) made: who asks, each claim it asks for, the avatar a world names',
        params: Uid,
        response: responses({
          200: Type.Object({
            uid: Type.String(),
            world: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
            service: Type.Optional(
              Type.Object(
                { id: Type.String(), name: Type.String() },
                { description: 'a service’s sign-in (no avatar; it learns a pseudonym of its own)' },
              ),
            ),
            wallet: Type.Optional(
              Type.Object(
                { id: Type.String(), name: Type.String() },
                {
                  description:
                    'a wallet asking for credentials (each in claims, by its configuration id): it binds nothing',
                },
              ),
            ),
            claims: Type.Array(
              Type.Object({ name: Type.String(), scope: Type.String(), description: Type.String() }),
            ),
            avatar: Type.Optional(Type.String()),
            lockedSince: Type.Optional(
              Type.String({
                description:
                  'the signed-in person has locked its identity since then: consenting tells the world access_denied',
              }),
            ),
          }),
        }),
      },
    },
    async (request, reply) =>
      ctx.oidc.consentRequest({ req: request.raw, res: reply.raw }, request.params.uid),
  );
}

function consent(app: Api, ctx: AppContext): void {
  app.post(
    '/oidc/interaction/:uid/consent',
    {
      config: { roles: subject },
      schema: {
        tags: ['sign-in'],
        summary:
          'Consent: binds the avatar to the signed-in person in this world (a service: keeps its pseudonym for the person) and resumes the sign-in',
        params: Uid,
        body: Type.Object(
          {
            avatar: Type.Optional(Type.String({ pattern: handlePattern })),
            nationality: Type.Optional(Type.Boolean({ description: 'release the nationality claim' })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 200: Next }),
      },
    },
    async (request, reply) => ({
      redirectTo: await ctx.oidc.consent(
        { req: request.raw, res: reply.raw },
        request.params.uid,
        caller(request),
        request.body,
      ),
    }),
  );
}

function decline(app: Api, ctx: AppContext): void {
  app.post(
    '/oidc/interaction/:uid/decline',
    {
      schema: {
        tags: ['sign-in'],
        summary: 'Decline: the world is told access_denied',
        params: Uid,
        response: responses({ 200: Next }),
      },
    },
    async (request, reply) => ({
      redirectTo: await ctx.oidc.decline({ req: request.raw, res: reply.raw }, request.params.uid),
    }),
  );
}

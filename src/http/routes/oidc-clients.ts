import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { clientAuthMethods } from '../../oidc/client-service.ts';
import { recordIdPattern, worldIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

export const ClientRegistration = Type.Object(
  {
    redirectUris: Type.Array(Type.String({ maxLength: 2000 }), { minItems: 1, maxItems: 20 }),
    authMethod: Type.Optional(StringEnum(clientAuthMethods)),
    jwks: Type.Optional(
      Type.Object(
        { keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 10 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const RegisteredClient = Type.Object({
  clientId: Type.String(),
  redirectUris: Type.Array(Type.String()),
  authMethod: StringEnum(clientAuthMethods),
  clientSecret: Type.Optional(Type.String({ description: 'shown once' })),
});

const admin = ['admin'] as const;

/**
 * A world's OpenID Connect client: registered with the world or later by the admin; and a
 * service's, registered by the admin, so that the service learns people under its own pseudonym.
 */
export function oidcClientRoutes(app: Api, ctx: AppContext): void {
  worldClient(app, ctx);
  serviceClient(app, ctx);
}

function worldClient(app: Api, ctx: AppContext): void {
  app.put(
    '/v1/worlds/:world/oidc-client',
    {
      config: { roles: admin },
      schema: {
        tags: ['worlds'],
        summary:
          'Register or replace the world’s OpenID Connect client (a secret method gets a new secret, shown once)',
        params: Type.Object({ world: Type.String({ pattern: worldIdPattern }) }),
        body: ClientRegistration,
        response: responses({ 200: RegisteredClient }),
      },
    },
    async (request) => ctx.oidc.clients.register(request.params.world, request.body, caller(request).id),
  );
}

function serviceClient(app: Api, ctx: AppContext): void {
  app.put(
    '/v1/principals/:id/oidc-client',
    {
      config: { roles: admin },
      schema: {
        tags: ['principals'],
        summary:
          'Register or replace a service principal’s OpenID Connect client (client id = the principal id): people sign in to the service through mdis and it gets its own pseudonym for each (a secret method gets a new secret, shown once)',
        params: Type.Object({ id: Type.String({ pattern: recordIdPattern('prn') }) }),
        body: ClientRegistration,
        response: responses({ 200: RegisteredClient }),
      },
    },
    async (request) => ctx.oidc.clients.registerService(request.params.id, request.body, caller(request).id),
  );
}

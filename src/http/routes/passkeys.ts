import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { roles } from '../../principals/roles.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';
import { Credential } from './sign-in.ts';

const Passkey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Optional(Type.String()),
});
const everyone = roles;

/** The caller's own passkeys: list, add, remove (never the last). */
export function passkeyRoutes(app: Api, ctx: AppContext): void {
  listPasskeys(app, ctx);
  passkeyOptions(app, ctx);
  addPasskey(app, ctx);
  removePasskey(app, ctx);
}

function listPasskeys(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/me/passkeys',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Your passkeys',
        response: responses({ 200: Type.Object({ items: Type.Array(Passkey) }) }),
      },
    },
    async (request) => ({ items: await ctx.passkeys.list(caller(request).id) }),
  );
}

function passkeyOptions(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/passkeys/options',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Registration options for another passkey',
        response: responses({ 200: Type.Record(Type.String(), Type.Unknown()) }),
      },
    },
    async (request) => ctx.passkeys.beginAdd(caller(request).id),
  );
}

function addPasskey(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/me/passkeys',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Add a passkey',
        body: Type.Object(
          { credential: Credential, name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) },
          { additionalProperties: false },
        ),
        response: responses({ 201: Passkey }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await ctx.passkeys.finishAdd(
            caller(request).id,
            request.body.credential as never,
            request.body.name ?? 'passkey',
          ),
        ),
  );
}

function removePasskey(app: Api, ctx: AppContext): void {
  app.delete(
    '/v1/me/passkeys/:id',
    {
      config: { roles: everyone },
      schema: {
        tags: ['sign-in'],
        summary: 'Remove a passkey (409 last_passkey for the last one)',
        params: Type.Object({ id: Type.String({ maxLength: 1024 }) }),
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      await ctx.passkeys.remove(caller(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

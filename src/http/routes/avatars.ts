import Type from 'typebox';
import { AvatarParams, AvatarStanding, WorldAvatar } from '../../api/avatars.ts';
import type { AppContext } from '../../context.ts';
import { parseDigitalId } from '../../identity/digital-id.ts';
import { RawBindingClosedError } from '../../oidc/errors.ts';
import { worldIdPattern } from '../../util/patterns.ts';
import type { Api } from '../api.ts';
import { assertWorldScope, caller } from '../auth.ts';
import { DigitalIdParam, PageQuery, responses } from '../schemas.ts';

const binders = ['platform'] as const;
const readers = ['platform', 'admin'] as const;

export function avatarRoutes(app: Api, ctx: AppContext): void {
  bindAvatar(app, ctx);
  readAvatar(app, ctx);
  listAvatars(app, ctx);
}

function bindAvatar(app: Api, ctx: AppContext): void {
  app.put(
    '/v1/worlds/:world/avatars/:handle',
    {
      config: { roles: binders },
      schema: {
        tags: ['identity'],
        summary:
          'Bind an avatar handle to a subject by its digital ID (201 new, 200 already bound to it, 409 bound to another): closed (403 raw_binding_closed) unless the policy’s identity.rawAvatarBinding is on, for migration; worlds bind avatars through sign-in and consent',
        params: AvatarParams,
        body: Type.Object({ subject: DigitalIdParam }, { additionalProperties: false }),
        response: responses({ 200: AvatarStanding, 201: AvatarStanding }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      const { world, handle } = request.params;
      assertWorldScope(principal, world);
      // Avatars are bound by the person's consent (issue 12); this stays for migration only.
      if (ctx.policy.document.identity?.rawAvatarBinding !== true) throw new RawBindingClosedError();
      const subject = parseDigitalId(request.body.subject, 'subject');
      const { avatar, created } = await ctx.avatars.bind({ world, handle, subject }, principal.id);
      return reply.status(created ? 201 : 200).send(avatar);
    },
  );
}

function readAvatar(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/worlds/:world/avatars/:handle',
    {
      config: { roles: readers },
      schema: {
        tags: ['identity'],
        summary:
          'An avatar’s standing in its world: pseudonym, grade, the sanctions in force there; never the identity behind it',
        params: AvatarParams,
        response: responses({ 200: WorldAvatar }),
      },
    },
    async (request) => {
      assertWorldScope(caller(request), request.params.world);
      return ctx.avatarStandings.one(request.params.world, request.params.handle);
    },
  );
}

function listAvatars(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/worlds/:world/avatars',
    {
      config: { roles: readers },
      schema: {
        tags: ['identity'],
        summary:
          'A world’s avatars by handle, each with its standing there; never the identities behind them',
        params: Type.Object({ world: Type.String({ pattern: worldIdPattern }) }),
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(WorldAvatar), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const { world } = request.params;
      assertWorldScope(caller(request), world);
      await ctx.worlds.get(world);
      const { cursor, limit } = request.query;
      return ctx.avatarStandings.page(world, { cursor, limit: limit ?? 50 });
    },
  );
}

import Type from 'typebox';
import { Delivery, Subscription } from '../../api/subscriptions.ts';
import type { AppContext } from '../../context.ts';
import { notifyEventTypes } from '../../notify/events.ts';
import { maxUrlLength } from '../../notify/subscription-service.ts';
import { recordIdPattern, worldIdPattern } from '../../util/patterns.ts';
import { StringEnum } from '../../util/validation.ts';
import type { Api } from '../api.ts';
import { assertWorldScope, caller } from '../auth.ts';
import { PageQuery, responses } from '../schemas.ts';

const WorldParams = Type.Object({ world: Type.String({ pattern: worldIdPattern }) });
const IdParams = Type.Object({
  world: Type.String({ pattern: worldIdPattern }),
  id: Type.String({ pattern: recordIdPattern('sub') }),
});

const platform = ['platform'] as const;
const readers = ['platform', 'admin'] as const;

export function subscriptionRoutes(app: Api, ctx: AppContext): void {
  subscribe(app, ctx);
  listSubscriptions(app, ctx);
  revokeSubscription(app, ctx);
  listDeliveries(app, ctx);
}

function subscribe(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/worlds/:world/subscriptions',
    {
      config: { roles: platform },
      schema: {
        tags: ['notifications'],
        summary: 'Subscribe a URL to events about this world’s avatars (see docs/webhooks.md)',
        params: WorldParams,
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: maxUrlLength, description: 'http or https' }),
            events: Type.Array(StringEnum(notifyEventTypes), { minItems: 1, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
        response: responses({
          201: Type.Object({
            subscription: Subscription,
            secret: Type.String({ description: 'the signing secret; shown once' }),
          }),
        }),
      },
    },
    async (request, reply) => {
      const principal = caller(request);
      assertWorldScope(principal, request.params.world);
      const created = await ctx.subscriptions.create(
        { world: request.params.world, ...request.body },
        principal.id,
      );
      return reply.status(201).send(created);
    },
  );
}

function listSubscriptions(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/worlds/:world/subscriptions',
    {
      config: { roles: readers },
      schema: {
        tags: ['notifications'],
        summary: 'A world’s subscriptions, oldest first, revoked ones included; never the secrets',
        params: WorldParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(Subscription), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      assertWorldScope(caller(request), request.params.world);
      const { cursor, limit } = request.query;
      return ctx.subscriptions.list({ world: request.params.world, cursor, limit: limit ?? 50 });
    },
  );
}

function revokeSubscription(app: Api, ctx: AppContext): void {
  app.delete(
    '/v1/worlds/:world/subscriptions/:id',
    {
      config: { roles: platform },
      schema: {
        tags: ['notifications'],
        summary: 'Revoke a subscription: nothing more is sent to it, pending deliveries included',
        params: IdParams,
        response: responses({ 200: Subscription }),
      },
    },
    async (request) => {
      assertWorldScope(caller(request), request.params.world);
      return ctx.subscriptions.revoke(request.params.world, request.params.id);
    },
  );
}

function listDeliveries(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/worlds/:world/subscriptions/:id/deliveries',
    {
      config: { roles: readers },
      schema: {
        tags: ['notifications'],
        summary:
          'A subscription’s notifications, newest first: status, attempts, the last failure’s kind, times; never their payloads',
        params: IdParams,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: responses({
          200: Type.Object({ items: Type.Array(Delivery), cursor: Type.Optional(Type.String()) }),
        }),
      },
    },
    async (request) => {
      const { world, id } = request.params;
      assertWorldScope(caller(request), world);
      const { cursor, limit } = request.query;
      return ctx.subscriptions.deliveries({ world, id, cursor, limit: limit ?? 50 });
    },
  );
}

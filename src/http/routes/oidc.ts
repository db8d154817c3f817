import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';

/**
 * oidc-provider (a Koa app) mounted under Fastify: discovery, JWKS, authorization, token and
 * userinfo go to its callback untouched. Registered as a plugin of its own so that its bodies
 * (form-encoded) reach the provider unread.
 */
export async function oidcProviderRoutes(app: FastifyInstance, options: { ctx: AppContext }): Promise<void> {
  const { ctx } = options;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const callback = await ctx.oidc.callback();
    reply.hijack();
    callback(request.raw, reply.raw);
  };
  app.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/oidc/*', schema: { hide: true }, handler: handle });
  app.get('/.well-known/openid-configuration', { schema: { hide: true } }, handle);
}

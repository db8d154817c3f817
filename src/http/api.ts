import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** The server as routes see it: Fastify with TypeBox schemas typing each handler's input. */
export type Api = ReturnType<typeof typed>;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * Documents a route from the roles it names once in `config.roles`: the bearer scheme, and a
 * description that starts with the roles (any description the route gives follows them).
 * Installed as an `onRoute` hook before the OpenAPI plugin, which reads the schema after it.
 */
export function documentRoles(route: RouteOptions): void {
  const roles = route.config?.roles;
  if (roles === undefined) return;
  // A copy: Fastify hands the HEAD route it adds for a GET the same schema object.
  const schema: { description?: string } = route.schema ?? {};
  const named = `Roles: ${roles.join(', ')}.`;
  route.schema = {
    ...schema,
    security: [{ bearer: [] }],
    description: schema.description === undefined ? named : `${named} ${schema.description}`,
  };
}

import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The web console: the single-page app built from console/ by Vite, served at `/`. The same
 * relative path finds it from src/http/routes (npm start) and from dist/http/routes (the package).
 */
export const consoleDir = path.resolve(import.meta.dirname, '../../../console/dist');

/** Paths the console never answers for, so that a mistyped API URL stays a JSON 404. */
const serverPaths = /^\/(v1|docs|openapi\.json|metrics|healthz|\.well-known)(\/|$)/;

// The console loads only its own files and talks only to this origin.
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const notBuilt = `The web console is not built.

Build it with \`npm run build\` (or just \`npm start\`, which builds it first when it is missing or
out of date), then reload. The API is served as usual: see /docs.
`;

export interface ConsoleOptions {
  /** The built console; tests point it elsewhere. */
  root?: string;
}

/** Serves the console at `/`, with client routes (`/cases/…`) answered by its index.html. */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleOptions = {}): Promise<void> {
  const root = options.root ?? consoleDir;
  const built = fs.existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      // One route per built file, found at start: nothing outside the build is reachable.
      wildcard: false,
      setHeaders(reply, file) {
        // Vite names assets by their content hash: they never change, the page that names them does.
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        reply.headers({
          ...securityHeaders,
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      },
    });
  }

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const pathname = request.url.split('?')[0]!;
    // Server paths, and files (a name with an extension), are not client routes.
    if (serverPaths.test(pathname) || /\.[^/]*$/.test(pathname)) return reply.callNotFound();
    if (!built) return reply.status(503).type('text/plain; charset=utf-8').send(notBuilt);
    return sendIndex(reply);
  });
}

function sendIndex(reply: FastifyReply): FastifyReply {
  reply.headers({ ...securityHeaders, 'cache-control': 'no-cache' });
  return reply.sendFile('index.html');
}

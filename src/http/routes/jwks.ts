import Type from 'typebox';
import type { AppContext } from '../../context.ts';
import { buildJwks } from '../../keys/jwks.ts';
import type { Api } from '../api.ts';

const Jwk = Type.Object({
  kty: Type.String(),
  crv: Type.String(),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.String(),
  use: Type.String(),
});

/** mdis's published signing keys, of every purpose that signs what others verify offline. */
export function jwksRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['keys'],
        summary:
          'The public keys that sign what mdis hands out (credentials, a person’s export), each under its kid (RFC 7517)',
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    // Every source of published keys is listed here, and only here (see keys/jwks.ts).
    async () => buildJwks([ctx.credentials.keys, ctx.exportKeys]),
  );
}

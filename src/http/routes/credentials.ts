import Type from 'typebox';
import { CredentialOffer, MyCredentials, NewCredentialOffer } from '../../api/credentials.ts';
import type { AppContext } from '../../context.ts';
import { credentialPaths } from '../../credentials/credential-service.ts';
import { StatusListNotFoundError } from '../../credentials/errors.ts';
import {
  authorizationServerMetadata,
  didDocument,
  issuerMetadata,
  jwtVcIssuerMetadata,
} from '../../credentials/metadata.ts';
import { accessTokenLifetimeSeconds } from '../../credentials/offers.ts';
import { newNonce } from '../../credentials/proof.ts';
import { statusListTtlSeconds } from '../../credentials/status-list.ts';
import type { Api } from '../api.ts';
import { caller } from '../auth.ts';
import { responses } from '../schemas.ts';

const subject = ['subject'] as const;
const hidden = { schema: { hide: true } };
const noStore = 'no-store';

/**
 * The credential issuer (issue 16): the person's offers and list, the OpenID4VCI endpoints a
 * wallet calls (public: the pre-authorized code and the access token are their authorization),
 * the issuer's metadata and keys, and the status lists.
 */
export function credentialRoutes(app: Api, ctx: AppContext): void {
  const issuer = () => ctx.credentials.issuer();
  app.post(
    '/v1/me/credentials/offers',
    {
      config: { roles: subject },
      schema: {
        tags: ['credentials'],
        summary:
          'An offer for your wallet (OpenID4VCI, pre-authorized code): a link or QR code, and its transaction code',
        body: NewCredentialOffer,
        response: responses({ 201: CredentialOffer }),
      },
    },
    async (request, reply) => {
      const offer = await ctx.credentials.offers.create(caller(request).subject!, {
        configurations: request.body.configurations,
        withGrade: request.body.withGrade ?? false,
      });
      return reply.status(201).header('cache-control', noStore).send(offer);
    },
  );
  app.get(
    '/v1/me/credentials',
    {
      config: { roles: subject },
      schema: {
        tags: ['credentials'],
        summary: 'Your credentials and their status (mdis keeps no claim values)',
        response: responses({ 200: MyCredentials }),
      },
    },
    async (request) => ({ credentials: await ctx.credentials.listOf(caller(request).subject!) }),
  );
  // The wallet's endpoints speak OAuth: form bodies, no-store answers, the protocol's error codes.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.post(credentialPaths.token, hidden, async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      const { accessToken } = await ctx.credentials.offers.redeem(form);
      return reply
        .header('cache-control', noStore)
        .send({ access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenLifetimeSeconds });
    });
  });
  app.post(credentialPaths.nonce, hidden, async (_request, reply) =>
    reply.header('cache-control', noStore).send({ c_nonce: newNonce(ctx.keyring, ctx.now()) }),
  );
  app.post(credentialPaths.credential, hidden, async (request, reply) =>
    reply
      .header('cache-control', noStore)
      .send(await ctx.credentials.issue(request.headers.authorization, request.body)),
  );
  app.get(
    `${credentialPaths.statusList}/:list`,
    {
      schema: {
        tags: ['credentials'],
        summary:
          'A signed status list (IETF Token Status List, statuslist+jwt); 1 bit per credential, 1 = revoked',
        params: Type.Object({ list: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }),
      },
    },
    async (request, reply) => {
      const token = await ctx.credentials.statusList(Number(request.params.list));
      if (token === undefined) throw new StatusListNotFoundError(request.params.list);
      return reply
        .type('application/statuslist+jwt')
        .header('cache-control', `public, max-age=${statusListTtlSeconds}`)
        .send(token);
    },
  );
  app.get('/.well-known/openid-credential-issuer', hidden, async () => issuerMetadata(issuer()));
  app.get('/.well-known/oauth-authorization-server/v1/credentials', hidden, async () =>
    authorizationServerMetadata(issuer()),
  );
  app.get('/.well-known/jwt-vc-issuer', hidden, async () =>
    jwtVcIssuerMetadata(issuer(), await ctx.credentials.keys.published()),
  );
  app.get('/.well-known/jwks.json', hidden, async () => ({ keys: await ctx.credentials.keys.published() }));
  app.get('/.well-known/did.json', hidden, async () =>
    didDocument(issuer(), await ctx.credentials.keys.published()),
  );
}

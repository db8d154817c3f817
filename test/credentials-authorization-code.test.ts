import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Person, pkce, redirectUriOf } from './_people.ts';
import { getJson, openByHand } from './_sd-jwt.ts';
import { forEachStore, personEnrolment } from './_util.ts';
import { TestWallet } from './_wallet.ts';

// OpenID4VCI's authorization code flow through mdis's own OpenID Provider (issue 16 item 1): a
// wallet registered by the operator as a public client asks for a credential's scope with PKCE,
// the person signs in with a passkey and consents, the wallet trades the code at the provider's
// token endpoint and presents the provider's access token at the credential endpoint, all over
// real HTTP. The credential is checked by hand and with jose against /.well-known/jwks.json.

const clock = new Date('2026-12-02T12:00:00.000Z');
const now = () => clock;
const wallet = { clientId: 'wallet_test', redirectUri: 'https://wallet.example/cb' };

forEachStore(
  'credentials: the authorization code flow',
  (h) => {
    let base: string;
    let subject: string;
    let person: Person;
    let holder: TestWallet;

    before(async () => {
      const listening = new URL(await h.app.listen({ port: 0, host: 'localhost' }));
      // localhost, not the address: the WebAuthn RP ID is the public URL's host.
      base = `http://localhost:${listening.port}`;
      const config = h.ctx.config as { publicUrl: string | undefined; walletClients: unknown };
      config.publicUrl = base;
      config.walletClients = [wallet];
      const registrar = await h.token({ role: 'registrar' });
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      subject = enrolled.body.id;
      person = new Person(h, base);
      assert.equal((await person.activate(enrolled.body.activation.code)).status, 201);
      holder = new TestWallet({ now });
    });

    /** The wallet's authorization request in the person's browser, consented; the code. */
    async function authorize(scope: string) {
      const { verifier, challenge } = pkce();
      const flow = await person.signInToWorld({
        clientId: wallet.clientId,
        redirectUri: wallet.redirectUri,
        scope,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
      });
      return { flow, verifier };
    }

    async function tokenAt(endpoint: string, form: Record<string, string>, headers = {}) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form),
      });
      // biome-ignore lint/suspicious/noExplicitAny: the token endpoint's JSON, asserted field by field
      return { status: response.status, body: (await response.json()) as any };
    }

    const issuedCount = async () =>
      (await h.ctx.db.selectFrom('credentials').select('id').where('subject_id', '=', subject).execute())
        .length;

    test('the issuer names the OpenID Provider as an authorization server; the provider offers the credential scopes', async () => {
      const metadata = await getJson(`${base}/.well-known/openid-credential-issuer`);
      assert.deepEqual(metadata.authorization_servers, [`${base}/v1/credentials`, base]);
      assert.equal(metadata.credential_configurations_supported.mdis_identity.scope, 'mdis_identity');
      const op = await getJson(`${base}/.well-known/openid-configuration`);
      assert.equal(op.issuer, base);
      for (const scope of ['mdis_identity', 'mdis_standing']) assert.ok(op.scopes_supported.includes(scope));
      assert.ok(op.token_endpoint_auth_methods_supported.includes('none'));
    });

    test('a wallet receives an identity credential: PKCE, passkey, consent, code, the provider’s token, nonce, credential', async () => {
      const op = await getJson(`${base}/.well-known/openid-configuration`);
      const { flow, verifier } = await authorize('mdis_identity');
      assert.equal(flow.details?.status, 200, JSON.stringify(flow.details?.body));
      assert.deepEqual(flow.details.body.wallet, { id: wallet.clientId, name: 'test' });
      assert.equal(flow.details.body.world, undefined);
      assert.deepEqual(
        flow.details.body.claims.map((c: { name: string }) => c.name),
        ['mdis_identity'],
      );
      assert.ok(flow.code, JSON.stringify(flow.consented?.body ?? flow.started.body));
      assert.equal(flow.back!.origin + flow.back!.pathname, wallet.redirectUri);
      // Nothing was bound: a wallet is no world.
      assert.deepEqual(await h.ctx.avatars.avatarsOf(subject), []);

      const token = await tokenAt(op.token_endpoint, {
        grant_type: 'authorization_code',
        code: flow.code,
        redirect_uri: wallet.redirectUri,
        code_verifier: verifier,
        client_id: wallet.clientId,
      });
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.equal(token.body.scope, 'mdis_identity');
      assert.equal(token.body.id_token, undefined, 'no openid scope, no ID token');

      const issuerMetadata = await holder.client.resolveIssuerMetadata(base);
      const before = await issuedCount();
      const sdJwt = await holder.request(issuerMetadata, token.body.access_token, 'mdis_identity');
      const { payload, claims, jwt } = openByHand(sdJwt);
      const keys = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
      const verified = await jwtVerify(jwt, keys, { issuer: base, typ: 'dc+sd-jwt', currentDate: clock });
      assert.equal(verified.protectedHeader.alg, 'EdDSA');
      assert.deepEqual(claims, {
        name: 'Thomas Example',
        birthdate: '1990-04-01',
        nationality: 'GB',
        age_over_13: true,
        age_over_18: true,
      });
      assert.deepEqual((payload.cnf as { jwk: object }).jwk, holder.publicJwk);
      assert.ok(!JSON.stringify(payload).includes(subject), 'the digital ID is in the credential');
      assert.equal(await issuedCount(), before + 1, 'issued to the signed-in person');

      // The token covers the scope consented to, not the other credential.
      await assert.rejects(
        holder.request(issuerMetadata, token.body.access_token, 'mdis_standing'),
        /unknown_credential_configuration/,
      );
      assert.equal(await issuedCount(), before + 1);
    });

    test('an access token of the provider without a credential scope is refused; nothing is issued', async () => {
      // A world's token (scope openid, for its userinfo), through the world's own sign-in.
      const admin = await h.token({ role: 'admin' });
      const plaza = await h.call('POST', '/v1/worlds', {
        token: admin,
        body: { id: 'plaza', name: 'The Plaza', oidc: { redirectUris: [redirectUriOf('plaza')] } },
      });
      assert.equal(plaza.status, 201, JSON.stringify(plaza.body));
      // A world may not ask for a credential's scope: that is a wallet's.
      const asking = await person.signInToWorld({
        clientId: 'plaza',
        redirectUri: redirectUriOf('plaza'),
        scope: 'openid mdis_identity',
        codeChallenge: pkce().challenge,
        codeChallengeMethod: 'S256',
      });
      assert.equal(asking.back?.searchParams.get('error'), 'invalid_scope', asking.back?.href);
      const { verifier, challenge } = pkce();
      const flow = await person.signInToWorld(
        {
          clientId: 'plaza',
          redirectUri: redirectUriOf('plaza'),
          codeChallenge: challenge,
          codeChallengeMethod: 'S256',
        },
        { avatar: 'tom' },
      );
      assert.ok(flow.code, JSON.stringify(flow.consented?.body));
      const basic = Buffer.from(`plaza:${plaza.body.oidc.clientSecret}`).toString('base64');
      const worldToken = await tokenAt(
        `${base}/oidc/token`,
        {
          grant_type: 'authorization_code',
          code: flow.code,
          redirect_uri: redirectUriOf('plaza'),
          code_verifier: verifier,
        },
        { authorization: `Basic ${basic}` },
      );
      assert.equal(worldToken.status, 200, JSON.stringify(worldToken.body));
      // A wallet's token that grants no credential (minted through the provider's own models).
      const provider = await h.ctx.oidc.provider();
      const client = await provider.Client.find(wallet.clientId);
      assert.ok(client);
      const grant = new provider.Grant({ accountId: subject, clientId: wallet.clientId });
      grant.addOIDCScope('openid');
      const grantId = await grant.save();
      const bare = await new provider.AccessToken({
        accountId: subject,
        client,
        grantId,
        gty: 'authorization_code',
        scope: 'openid',
      }).save();

      const before = await h.snapshot();
      const { c_nonce } = (await (
        await fetch(`${base}/v1/credentials/nonce`, { method: 'POST' })
      ).json()) as {
        c_nonce: string;
      };
      const proof = await holder.client.createCredentialRequestJwtProof({
        issuerMetadata: await holder.client.resolveIssuerMetadata(base),
        credentialConfigurationId: 'mdis_identity',
        nonce: c_nonce,
        issuedAt: clock,
        signer: { method: 'jwk', alg: 'EdDSA', publicJwk: holder.publicJwk },
      });
      const ask = (accessToken: string) =>
        h.call('POST', '/v1/credentials/credential', {
          headers: { authorization: `Bearer ${accessToken}` },
          body: { credential_configuration_id: 'mdis_identity', proofs: { jwt: [proof.jwt] } },
        });
      const world = await ask(worldToken.body.access_token);
      assert.equal(world.status, 401, JSON.stringify(world.body));
      assert.equal(world.body.error, 'invalid_token');
      const scopeless = await ask(bare);
      assert.equal(scopeless.status, 403, JSON.stringify(scopeless.body));
      assert.equal(scopeless.body.error, 'insufficient_scope');
      assert.equal(scopeless.body.error_description, scopeless.body.message);
      assert.equal(await h.snapshot(), before, 'nothing issued, the nonce not spent');
    });

    test('a person who locked its identity: the wallet is told access_denied at consent, nothing granted', async () => {
      const subjectToken = await h.token({ role: 'subject', subject });
      const locked = await h.call('POST', '/v1/me/lock', { token: subjectToken });
      assert.equal(locked.status, 200, JSON.stringify(locked.body));
      const count = await issuedCount();
      const { flow } = await authorize('mdis_identity');
      assert.ok(flow.details?.body.lockedSince, JSON.stringify(flow.details?.body));
      assert.equal(flow.back?.searchParams.get('error'), 'access_denied', flow.back?.href);
      assert.equal(flow.code, undefined);
      assert.equal(await issuedCount(), count);
    });
  },
  { now },
);

test('MDIS_WALLET_CLIENTS: wallet_<name>=<https or app redirect URI>; anything else stops start-up', () => {
  const env = {
    MDIS_WALLET_CLIENTS: 'wallet_a=https://a.example/cb, wallet_b=org.example.wallet:/cb',
  };
  assert.deepEqual(loadConfig({}, env).walletClients, [
    { clientId: 'wallet_a', redirectUri: 'https://a.example/cb' },
    { clientId: 'wallet_b', redirectUri: 'org.example.wallet:/cb' },
  ]);
  assert.deepEqual(loadConfig({}, {}).walletClients, []);
  for (const bad of [
    'plaza=https://a.example/cb',
    'wallet_a=http://a.example/cb',
    'wallet_a',
    'wallet_A=x:/y',
  ]) {
    assert.throws(() => loadConfig({}, { MDIS_WALLET_CLIENTS: bad }), ConfigError, bad);
  }
});

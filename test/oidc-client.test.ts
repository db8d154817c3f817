import assert from 'node:assert/strict';
import type { webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { DemoBrowser } from '../src/demo/browser.ts';
import { Server } from './_cli.ts';
import { personEnrolment, tempDir } from './_util.ts';

// A world integrates as it would in production: openid-client against a running `mdis serve`.
describe('a world signs people in with openid-client against mdis serve', () => {
  let server: Server;
  let issuer: URL;
  let admin: string;
  let registrar: string;
  const dir = tempDir('oidc-client');
  const callback = 'http://localhost/plaza/callback';

  before(async () => {
    server = await Server.start(dir);
    issuer = new URL(`http://localhost:${new URL(server.url).port}`);
    admin = fs.readFileSync(path.join(dir, 'admin.token'), 'utf8').trim();
    registrar = (await server.request('POST', '/v1/principals', admin, { role: 'registrar' })).body.token;
  });
  after(async () => {
    await server.stop('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function enrolledBrowser(birthDate = '1990-04-01') {
    const body = personEnrolment({ natural: { ...personEnrolment().natural, birthDate } });
    const enrolled = await server.request('POST', '/v1/subjects', registrar, body);
    assert.equal(enrolled.status, 201);
    const browser = new DemoBrowser(server.url, issuer.origin);
    assert.equal((await browser.activate(enrolled.body.activation.code)).status, 201);
    return { browser, id: enrolled.body.id as string };
  }

  async function signIn(config: client.Configuration, browser: DemoBrowser, avatar: string) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: 'openid age standing',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      avatar,
    });
    const { back, consent } = await browser.follow(url.href);
    assert.ok(back, JSON.stringify(consent?.body));
    return client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state });
  }

  test('client_secret_basic: the full code flow; the ID token verifies against the published JWKS', async () => {
    const world = await server.request('POST', '/v1/worlds', admin, {
      id: 'plaza',
      name: 'The Plaza',
      oidc: { redirectUris: [callback] },
    });
    assert.equal(world.status, 201, JSON.stringify(world.body));
    const config = await client.discovery(issuer, 'plaza', world.body.oidc.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    assert.equal(config.serverMetadata().issuer, issuer.origin);
    const { browser, id } = await enrolledBrowser();
    const tokens = await signIn(config, browser, 'tom');
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: issuer.origin,
      audience: 'plaza',
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.match(String(payload.sub), /^PS[0-9A-Z]{24}$/);
    assert.notEqual(payload.sub, id);
    assert.equal(payload.age_over_18, true);
    assert.equal(payload.standing, 'allowed');
    assert.equal(tokens.claims()?.sub, payload.sub);
    const standing = await server.request('GET', '/v1/worlds/plaza/avatars/tom', admin);
    assert.equal(standing.body.pseudonym, payload.sub, 'consent bound the avatar under the same pseudonym');
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, String(payload.sub));
    assert.equal(userinfo.sub, payload.sub);
  });

  test('a person who locked its identity: openid-client gets access_denied; after a passkey unlock, tokens', async () => {
    const world = await server.request('POST', '/v1/worlds', admin, {
      id: 'harbour',
      name: 'The Harbour',
      oidc: { redirectUris: [callback] },
    });
    assert.equal(world.status, 201, JSON.stringify(world.body));
    const config = await client.discovery(issuer, 'harbour', world.body.oidc.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    const { browser } = await enrolledBrowser();
    assert.ok((await signIn(config, browser, 'sailor')).id_token, 'signed in before the lock');
    const locked = await browser.call('POST', '/v1/me/lock');
    assert.equal(locked.status, 200, JSON.stringify(locked.body));
    await assert.rejects(
      signIn(config, browser, 'sailor'),
      (error: Error & { error?: string; error_description?: string }) => {
        assert.ok(error instanceof client.AuthorizationResponseError, String(error));
        assert.equal(error.error, 'access_denied');
        assert.match(String(error.error_description), /locked/);
        return true;
      },
    );
    const options = await browser.call('POST', '/v1/me/unlock/options');
    assert.equal(options.status, 200, JSON.stringify(options.body));
    const credential = browser.authenticator.authenticate(options.body, issuer.origin);
    assert.equal((await browser.call('POST', '/v1/me/unlock', { credential })).status, 200);
    assert.ok((await signIn(config, browser, 'sailor')).id_token, 'signed in after the unlock');
  });

  test('private_key_jwt: the world authenticates with its own key', async () => {
    const { privateKey, publicKey } = await ecKey();
    const jwk = {
      ...(await crypto.subtle.exportKey('jwk', publicKey)),
      kid: 'arena-1',
      alg: 'ES256',
      use: 'sig',
    };
    delete jwk.key_ops;
    delete jwk.ext;
    const world = await server.request('POST', '/v1/worlds', admin, {
      id: 'arena',
      name: 'Arena',
      oidc: { redirectUris: [callback], authMethod: 'private_key_jwt', jwks: { keys: [jwk] } },
    });
    assert.equal(world.status, 201, JSON.stringify(world.body));
    assert.equal(world.body.oidc.clientSecret, undefined);
    const config = await client.discovery(
      issuer,
      'arena',
      undefined,
      client.PrivateKeyJwt({ key: privateKey, kid: 'arena-1' }),
      { execute: [client.allowInsecureRequests] },
    );
    const { browser } = await enrolledBrowser('2011-06-01');
    const tokens = await signIn(config, browser, 'kid');
    const claims = tokens.claims()!;
    assert.equal(claims.age_over_13, true);
    assert.equal(claims.age_over_18, false);

    const wrongKey = (await ecKey()).privateKey;
    const forged = await client.discovery(
      issuer,
      'arena',
      undefined,
      client.PrivateKeyJwt({ key: wrongKey, kid: 'arena-1' }),
      { execute: [client.allowInsecureRequests] },
    );
    await assert.rejects(signIn(forged, browser, 'kid'), (error: { error?: string }) => {
      assert.equal(error.error, 'invalid_client');
      return true;
    });
  });
});

function ecKey() {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]) as Promise<{
    privateKey: webcrypto.CryptoKey;
    publicKey: webcrypto.CryptoKey;
  }>;
}

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { type AuthorizationRequest, authorizationUrl, Person, pkce, redirectUriOf } from './_people.ts';
import { forEachStore, personEnrolment } from './_util.ts';

const issuer = 'http://localhost:7070';

forEachStore('the OpenID Provider', (h) => {
  let admin: string;
  let registrar: string;
  let secret: string;

  before(async () => {
    admin = await h.token({ role: 'admin' });
    registrar = await h.token({ role: 'registrar' });
    const plaza = await h.call('POST', '/v1/worlds', {
      token: admin,
      body: { id: 'plaza', name: 'The Plaza', oidc: { redirectUris: [redirectUriOf('plaza')] } },
    });
    assert.equal(plaza.status, 201, JSON.stringify(plaza.body));
    secret = plaza.body.oidc.clientSecret;
    const arena = await h.call('POST', '/v1/worlds', { token: admin, body: { id: 'arena', name: 'Arena' } });
    assert.equal(arena.status, 201);
    const later = await h.call('PUT', '/v1/worlds/arena/oidc-client', {
      token: admin,
      body: { redirectUris: [redirectUriOf('arena')], authMethod: 'client_secret_post' },
    });
    assert.equal(later.status, 200, JSON.stringify(later.body));
  });

  async function person(overrides: Record<string, unknown> = {}) {
    const enrolled = await h.call('POST', '/v1/subjects', {
      token: registrar,
      body: personEnrolment(overrides),
    });
    const p = new Person(h);
    assert.equal((await p.activate(enrolled.body.activation.code)).status, 201);
    return { person: p, id: enrolled.body.id as string };
  }

  function request(world = 'plaza', extra: Partial<AuthorizationRequest> = {}) {
    const { verifier, challenge } = pkce();
    return {
      verifier,
      request: {
        clientId: world,
        redirectUri: redirectUriOf(world),
        scope: 'openid age standing avatar',
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        ...extra,
      } satisfies AuthorizationRequest,
    };
  }

  async function exchange(code: string, verifier: string, auth = `plaza:${secret}`, world = 'plaza') {
    return h.call('POST', '/oidc/token', {
      headers: {
        host: 'localhost:7070',
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      },
      rawBody: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUriOf(world),
        code_verifier: verifier,
      }).toString(),
    });
  }

  test('discovery names the issuer, PKCE S256, pairwise subjects and the predicate claims', async () => {
    const reply = await h.call('GET', '/.well-known/openid-configuration', {
      headers: { host: 'localhost:7070' },
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.issuer, issuer);
    assert.equal(reply.body.authorization_endpoint, `${issuer}/oidc/auth`);
    assert.equal(reply.body.jwks_uri, `${issuer}/oidc/jwks`);
    assert.deepEqual(reply.body.subject_types_supported, ['pairwise']);
    assert.deepEqual(reply.body.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(reply.body.response_types_supported, ['code']);
    for (const claim of ['age_over_13', 'age_over_18', 'nationality', 'standing']) {
      assert.ok(reply.body.claims_supported.includes(claim), claim);
    }
    assert.ok(reply.body.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
  });

  test('the code flow: consent binds the avatar, the ID token carries a pairwise sub and predicates', async () => {
    const { person: tom, id } = await person();
    const { verifier, request: r } = request('plaza', { extra: { avatar: 'tom' } });
    const flow = await tom.signInToWorld(r);
    assert.equal(flow.details?.status, 200, JSON.stringify(flow.details?.body));
    assert.deepEqual(flow.details?.body.world, { id: 'plaza', name: 'The Plaza' });
    assert.equal(flow.details?.body.avatar, 'tom');
    assert.deepEqual(
      flow.details?.body.claims.map((c: { name: string }) => c.name),
      ['sub', 'age_over_13', 'age_over_18', 'standing', 'avatar'],
    );
    assert.ok(flow.code, JSON.stringify(flow.consented?.body));
    assert.equal(flow.back?.origin + flow.back!.pathname, redirectUriOf('plaza'));
    const tokens = await exchange(flow.code, verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const jwks = JSON.parse((await h.call('GET', '/oidc/jwks')).body);
    const { payload } = await jwtVerify(tokens.body.id_token, createLocalJWKSet(jwks), {
      issuer,
      audience: 'plaza',
    });
    const standing = await h.call('GET', '/v1/worlds/plaza/avatars/tom', { token: admin });
    assert.equal(standing.status, 200, 'the consent bound the avatar');
    assert.equal(payload.sub, standing.body.pseudonym);
    assert.notEqual(payload.sub, id);
    assert.ok(!JSON.stringify(payload).includes(id), 'never the digital ID');
    assert.equal(payload.age_over_18, true);
    assert.equal(payload.age_over_13, true);
    assert.equal(payload.standing, 'allowed');
    assert.equal(payload.avatar, 'tom');
    assert.equal(payload.nationality, undefined);
    for (const personal of ['name', 'legalName', 'birthDate', 'email', 'phone'])
      assert.equal(payload[personal], undefined);
  });

  test('the provider’s own session lasts only while the person is signed in to mdis', async () => {
    const { person: una } = await person();
    const first = await una.signInToWorld(request('plaza', { extra: { avatar: 'una' } }).request);
    assert.ok(first.code, JSON.stringify(first.consented?.body));
    const again = await una.signInToWorld(request('plaza', { extra: { avatar: 'una' } }).request);
    assert.ok(again.code, 'signed in, with a grant that covers it: straight back to the world');
    assert.equal(again.details, undefined);
    assert.equal((await una.call('DELETE', '/v1/session')).status, 204);
    const signedOut = await una.call(
      'GET',
      authorizationUrl(request('plaza', { extra: { avatar: 'una' } }).request),
    );
    assert.equal(signedOut.status, 303);
    const location = new URL(String(signedOut.headers.location), una.origin);
    assert.ok(location.pathname.startsWith('/oidc/interaction/'), `asked to sign in again, not ${location}`);
    assert.equal(location.searchParams.get('code'), null);
    const consent = await una.call('POST', `${location.pathname}/consent`, { body: {} });
    assert.equal(consent.status, 401, 'consent wants a passkey sign-in first');
  });

  test('the sub differs between worlds; nationality only when ticked; the handle typed on the page', async () => {
    const { person: ann } = await person({
      natural: { ...personEnrolment().natural, birthDate: '2012-01-01', nationality: 'FR' },
    });
    const plaza = request('plaza', { scope: 'openid nationality age', extra: { avatar: 'ann' } });
    const first = await ann.signInToWorld(plaza.request, { nationality: false });
    const one = (await exchange(first.code!, plaza.verifier)).body;
    const arena = request('arena', { scope: 'openid nationality age' });
    const second = await ann.signInToWorld(arena.request, { avatar: 'ann-in-arena', nationality: true });
    assert.ok(second.code, JSON.stringify(second.consented?.body));
    const tokens = await h.call('POST', '/oidc/token', {
      rawBody: new URLSearchParams({
        grant_type: 'authorization_code',
        code: second.code,
        redirect_uri: redirectUriOf('arena'),
        code_verifier: arena.verifier,
        client_id: 'arena',
        client_secret: (
          await h.call('PUT', '/v1/worlds/arena/oidc-client', {
            token: admin,
            body: { redirectUris: [redirectUriOf('arena')], authMethod: 'client_secret_post' },
          })
        ).body.clientSecret,
      }).toString(),
      headers: { host: 'localhost:7070', 'content-type': 'application/x-www-form-urlencoded' },
    });
    // The secret was rotated after the code was issued: the code still belongs to arena.
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    const inPlaza = decode(one.id_token);
    const inArena = decode(tokens.body.id_token);
    assert.notEqual(inPlaza.sub, inArena.sub);
    assert.equal(inPlaza.nationality, undefined);
    assert.equal(inArena.nationality, 'FR');
    assert.equal(inArena.age_over_13, true);
    assert.equal(inArena.age_over_18, false);
    assert.equal(
      (await h.call('GET', '/v1/worlds/arena/avatars/ann-in-arena', { token: admin })).status,
      200,
    );
  });

  test('attacks are refused: unregistered redirect URI, PKCE missing or wrong, a reused code, another world', async () => {
    const { person: eve } = await person();
    // Redirect URI not registered: the provider answers itself, never redirects there.
    const bad = request('plaza', { redirectUri: 'https://evil.example/callback' });
    const refused = await eve.signInToWorld(bad.request);
    assert.equal(refused.started.status, 400);
    assert.equal(refused.started.body.error, 'invalid_redirect_uri');

    const noPkce = request('plaza', { codeChallenge: undefined, codeChallengeMethod: undefined });
    const missing = await eve.signInToWorld(noPkce.request);
    assert.equal(missing.location?.searchParams.get('error'), 'invalid_request');
    assert.match(String(missing.location?.searchParams.get('error_description')), /PKCE/);

    const another = request('plaza', { extra: { world: 'arena', avatar: 'eve' } });
    const other = await eve.signInToWorld(another.request);
    assert.equal(other.location?.searchParams.get('error'), 'invalid_request');

    const good = request('plaza', { extra: { avatar: 'eve' } });
    const flow = await eve.signInToWorld(good.request);
    assert.ok(flow.code);
    const wrong = await exchange(flow.code, pkce().verifier);
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
    const again = request('plaza', { extra: { avatar: 'eve' } });
    const second = await eve.signInToWorld(again.request);
    const arenaSecret = (
      await h.call('PUT', '/v1/worlds/arena/oidc-client', {
        token: admin,
        body: { redirectUris: [redirectUriOf('arena')] },
      })
    ).body.clientSecret;
    const stolen = await exchange(second.code!, again.verifier, `arena:${arenaSecret}`, 'plaza');
    assert.equal(stolen.status, 400, 'another world’s client cannot redeem this world’s code');
    assert.equal((await exchange(second.code!, again.verifier)).status, 200);
    const reused = await exchange(second.code!, again.verifier);
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
  });

  test('consent needs the session’s CSRF token and a signed-in subject; a bound handle stays its owner’s', async () => {
    const { person: tom } = await person();
    const r = request('plaza', { extra: { avatar: 'tom-csrf' } });
    const started = await tom.call(
      'GET',
      `/oidc/auth?${new URLSearchParams({
        client_id: r.request.clientId,
        redirect_uri: r.request.redirectUri,
        response_type: 'code',
        scope: 'openid',
        code_challenge: r.request.codeChallenge,
        code_challenge_method: 'S256',
        avatar: 'tom-csrf',
      })}`,
    );
    const uid = String(started.headers.location).split('/')[3];
    const before = await h.snapshot();
    const forged = await tom.call('POST', `/oidc/interaction/${uid}/consent`, { body: {}, csrf: false });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error, 'csrf_refused');
    const stranger = new Person(h);
    Object.assign(stranger, { jar: new Map([...tom.jar].filter(([k]) => k !== 'mdis_session')) });
    const anonymous = await stranger.call('POST', `/oidc/interaction/${uid}/consent`, { body: {} });
    assert.equal(anonymous.status, 401);
    assert.equal(await h.snapshot(), before);

    const { person: mallory } = await person();
    const steal = request('plaza', { extra: { avatar: 'tom' } });
    await tom.signInToWorld(request('plaza', { extra: { avatar: 'tom' } }).request);
    const taken = await mallory.signInToWorld(steal.request);
    assert.equal(taken.consented?.status, 409);
    assert.equal(taken.consented?.body.error, 'avatar_bound');
  });

  test('a raw digital ID binding is closed to platforms by default', async () => {
    const { id } = await person();
    const world = await h.call('POST', '/v1/worlds', {
      token: admin,
      body: { id: 'raw-world', name: 'Raw' },
    });
    const before = await h.snapshot();
    const put = await h.call('PUT', '/v1/worlds/raw-world/avatars/someone', {
      token: world.body.platform.token,
      body: { subject: id },
    });
    assert.equal(put.status, 403);
    assert.equal(put.body.error, 'raw_binding_closed');
    assert.equal(await h.snapshot(), before);
  });
});

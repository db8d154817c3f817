import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { ServicePseudonymService } from '../src/identity/service-pseudonyms.ts';
import { conductFixture } from './_fixtures.ts';
import { harnessOrigin, Person } from './_people.ts';
import { forEachStore, type Harness, personEnrolment } from './_util.ts';

// Pseudonyms per service (issue 16 item 3): a service signs a person in through mdis with
// openid-client (its fetch routed into the in-process server), gets a pairwise `sub` of its own,
// and checks eligibility by it; the digital ID is needed only where the policy still allows it.

const callback = 'https://service.example/callback';

/** openid-client's fetch, answered by the in-process server (the Host header makes the issuer). */
function fetchVia(h: Harness): client.CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    const reply = await h.app.inject({
      method: options.method as 'GET',
      url: `${target.pathname}${target.search}`,
      headers: { ...options.headers, host: target.host },
      ...(options.body === undefined || options.body === null ? {} : { payload: String(options.body) }),
    });
    return new Response(reply.statusCode === 204 ? null : reply.rawPayload, {
      status: reply.statusCode,
      headers: reply.headers as Record<string, string>,
    });
  };
}

interface Service {
  id: string;
  token: string;
  config: client.Configuration;
}

/** A service principal with an OpenID Connect client, as its relying party sees it. */
async function serviceClient(h: Harness, admin: string, name: string, actions: string[]): Promise<Service> {
  const { principal, token } = await h.ctx.principals.create({ role: 'service', name, actions });
  const registered = await h.call('PUT', `/v1/principals/${principal.id}/oidc-client`, {
    token: admin,
    body: { redirectUris: [callback] },
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  assert.equal(registered.body.clientId, principal.id);
  const fetch = fetchVia(h);
  const config = await client.discovery(
    new URL(harnessOrigin),
    principal.id,
    registered.body.clientSecret,
    undefined,
    { execute: [client.allowInsecureRequests], [client.customFetch]: fetch },
  );
  config[client.customFetch] = fetch;
  return { id: principal.id, token, config };
}

/** The person signs in to the service in the browser, consenting if asked; the service's tokens. */
async function signIn(person: Person, service: Service, scope = 'openid age') {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(service.config, {
    redirect_uri: callback,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const started = await person.call('GET', `${url.pathname}${url.search}`);
  assert.equal(started.status, 303, JSON.stringify(started.body));
  let back = new URL(String(started.headers.location), harnessOrigin);
  if (back.pathname.startsWith('/oidc/interaction/')) {
    const uid = back.pathname.split('/')[3]!;
    const details = await person.call('GET', `/oidc/interaction/${uid}/details`);
    assert.equal(details.body.service.id, service.id);
    assert.equal(details.body.world, undefined);
    const consented = await person.call('POST', `/oidc/interaction/${uid}/consent`, { body: {} });
    assert.equal(consented.status, 200, JSON.stringify(consented.body));
    const resumed = await person.call('GET', new URL(consented.body.redirectTo).pathname);
    back = new URL(String(resumed.headers.location));
  }
  assert.equal(back.origin + back.pathname, callback, back.href);
  return client.authorizationCodeGrant(service.config, back, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
}

/** The ID token's `sub`, its signature checked against the provider's published keys. */
async function verifiedSub(h: Harness, service: Service, idToken: string): Promise<string> {
  const jwks = await h.call('GET', '/oidc/jwks');
  assert.equal(jwks.status, 200);
  // Served as application/jwk-set+json, which the harness leaves a string.
  const keys = typeof jwks.body === 'string' ? JSON.parse(jwks.body) : jwks.body;
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(keys), {
    issuer: harnessOrigin,
    audience: service.id,
  });
  return String(payload.sub);
}

forEachStore('pseudonyms per service', (h) => {
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let airline: Service;
  let bank: Service;
  let shop: Service;
  let airlineSub: string;
  let bankSub: string;
  let shopSub: string;
  const eligibility = (token: string, query: string) => h.call('GET', `/v1/eligibility?${query}`, { token });

  before(async () => {
    f = await conductFixture(h);
    airline = await serviceClient(h, f.admin, 'Skyline Airways', ['travel.air']);
    bank = await serviceClient(h, f.admin, 'First Bank', ['finance.credit', 'travel.air']);
    // commerce.purchase is not in the shipped policy's eligibility.digitalIdChecks.
    shop = await serviceClient(h, f.admin, 'Corner Shop', ['commerce.purchase']);
  });

  test('two services signing the same person in get different subs: neither the digital ID nor a world pseudonym', async () => {
    const issued = async () =>
      (await h.ctx.db.selectFrom('ledger_entries').select('entry').execute()).filter((row) =>
        row.entry.includes('"service.pseudonym_issued"'),
      ).length;
    const tokens = await signIn(f.tomPerson, airline);
    airlineSub = await verifiedSub(h, airline, tokens.id_token!);
    bankSub = await verifiedSub(h, bank, (await signIn(f.tomPerson, bank)).id_token!);
    shopSub = await verifiedSub(h, shop, (await signIn(f.tomPerson, shop)).id_token!);
    const world = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform });
    assert.equal(world.status, 200);
    const plaza: string = world.body.pseudonym;
    for (const sub of [airlineSub, bankSub, shopSub]) {
      assert.match(sub, /^SV[0-9A-Z]{24}$/);
      assert.notEqual(sub, f.tom);
      assert.notEqual(sub, plaza);
      assert.equal(
        sub,
        h.ctx.vault.servicePseudonym(
          sub === airlineSub ? airline.id : sub === bankSub ? bank.id : shop.id,
          f.tom,
        ),
      );
    }
    assert.equal(new Set([airlineSub, bankSub, shopSub]).size, 3, 'each service its own');
    // A world pseudonym of the same id and subject is another keyed hash altogether.
    assert.notEqual(h.ctx.vault.pseudonym(airline.id, f.tom).slice(2), airlineSub.slice(2));
    assert.equal(tokens.claims()?.age_over_18, true, 'predicates still come in the ID token');
    assert.equal(tokens.claims()?.standing, undefined);
    // Signing in again: the same pseudonym, no new entry in the log.
    const again = await signIn(f.tomPerson, airline);
    assert.equal(await verifiedSub(h, airline, again.id_token!), airlineSub);
    assert.equal(await issued(), 3, 'one service.pseudonym_issued per service, not per sign-in');
  });

  test('a service may not ask for a world’s claims (standing, avatar) nor name a world', async () => {
    const url = client.buildAuthorizationUrl(airline.config, {
      redirect_uri: callback,
      scope: 'openid standing',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 'x',
    });
    const started = await f.tomPerson.call('GET', `${url.pathname}${url.search}`);
    const back = new URL(String(started.headers.location), harnessOrigin);
    assert.equal(back.searchParams.get('error'), 'invalid_scope', back.href);
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('world', f.world);
    const named = await f.tomPerson.call('GET', `${url.pathname}${url.search}`);
    const refused = new URL(String(named.headers.location), harnessOrigin);
    assert.equal(refused.searchParams.get('error'), 'invalid_request', refused.href);
    assert.equal(refused.searchParams.get('error_description'), 'a service acts for no world');
  });

  test('eligibility by pseudonym answers as by digital ID, allowed and denied, alone and in a batch', async () => {
    const byId = () => eligibility(airline.token, `subject=${f.tom}&action=travel.air`);
    const byPseudonym = () => eligibility(airline.token, `pseudonym=${airlineSub}&action=travel.air`);
    assert.deepEqual((await byPseudonym()).body, { allowed: true, reason: 'eligible', sanctionIds: [] });
    assert.deepEqual((await byPseudonym()).body, (await byId()).body);
    const imposed = await h.call('POST', '/v1/sanctions', {
      token: f.moderator,
      body: { subject: f.tom, kind: 'restriction', actions: ['travel.air'], reason: 'Unpaid fines' },
    });
    assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
    const denied = await byPseudonym();
    assert.equal(denied.status, 200);
    assert.deepEqual(denied.body, { allowed: false, reason: 'restricted', sanctionIds: [imposed.body.id] });
    assert.deepEqual(denied.body, (await byId()).body);
    const batch = await h.call('POST', '/v1/eligibility', {
      token: bank.token,
      body: {
        checks: [
          { pseudonym: bankSub, action: 'travel.air' },
          { subject: f.tom, action: 'travel.air' },
          { pseudonym: bankSub, action: 'finance.credit' },
          { pseudonym: airlineSub, action: 'travel.air' },
        ],
      },
    });
    assert.equal(batch.status, 200);
    assert.deepEqual(batch.body.results, [
      { index: 0, ...denied.body },
      { index: 1, ...denied.body },
      { index: 2, allowed: true, reason: 'eligible', sanctionIds: [] },
      {
        index: 3,
        error: 'pseudonym_not_found',
        message: 'no person is known to this service by this pseudonym',
      },
    ]);
    const lifted = await h.call('POST', `/v1/sanctions/${imposed.body.id}/lift`, {
      token: f.moderator,
      body: { reason: 'Paid' },
    });
    assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
    assert.equal((await byPseudonym()).body.allowed, true);
  });

  test('another service’s pseudonym is unknown, exactly like a made-up one; nothing written', async () => {
    await h.ctx.checkCounts.flush();
    const before = await h.snapshot();
    const others = await eligibility(airline.token, `pseudonym=${bankSub}&action=travel.air`);
    const madeUp = await eligibility(airline.token, `pseudonym=SV${'7'.repeat(24)}&action=travel.air`);
    assert.equal(others.status, 404);
    assert.deepEqual(others.body, madeUp.body);
    assert.equal(others.body.error, 'pseudonym_not_found');
    // Even after a restart, when the map is loaded from the store.
    await h.ctx.eligibility.rebuild();
    assert.deepEqual(
      (await eligibility(airline.token, `pseudonym=${bankSub}&action=travel.air`)).body,
      madeUp.body,
    );
    // Another instance, whose map has never seen them: found in the store, and still only the service's own.
    const other = new ServicePseudonymService({
      db: h.ctx.db,
      ledger: h.ctx.ledger,
      vault: h.ctx.vault,
      now: () => new Date(),
    });
    assert.equal(await other.resolve(airline.id, airlineSub), f.tom);
    assert.equal(await other.resolve(airline.id, bankSub), undefined);
    assert.equal(await other.resolve(bank.id, bankSub), f.tom);
    await h.ctx.checkCounts.flush();
    assert.equal(await h.snapshot(), before);
  });

  test('bad checks: both or neither of subject and pseudonym, a world’s pseudonym, a platform asking by pseudonym', async () => {
    await h.ctx.checkCounts.flush();
    const before = await h.snapshot();
    const world = await h.call('GET', `/v1/worlds/${f.world}/avatars/tom`, { token: f.platform });
    const cases: [string, string, number, string][] = [
      [airline.token, `subject=${f.tom}&pseudonym=${airlineSub}&action=travel.air`, 400, 'invalid_request'],
      [airline.token, 'action=travel.air', 400, 'invalid_request'],
      [airline.token, `pseudonym=${world.body.pseudonym}&action=travel.air`, 400, 'invalid_request'],
      [airline.token, `pseudonym=${airlineSub}&action=finance.credit`, 403, 'forbidden'],
      [f.platform, `pseudonym=${airlineSub}&action=world.enter`, 403, 'forbidden'],
    ];
    for (const [token, query, status, error] of cases) {
      const reply = await eligibility(token, query);
      assert.equal(reply.status, status, `${query}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error, error, query);
    }
    await h.ctx.checkCounts.flush();
    assert.equal(await h.snapshot(), before);
  });

  test('the policy keeps commerce.purchase to pseudonyms: by digital ID 403 digital_id_not_allowed, nothing written', async () => {
    await h.ctx.checkCounts.flush();
    const before = await h.snapshot();
    const refused = await eligibility(shop.token, `subject=${f.tom}&action=commerce.purchase`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'digital_id_not_allowed');
    const batch = await h.call('POST', '/v1/eligibility', {
      token: shop.token,
      body: { checks: [{ subject: f.tom, action: 'commerce.purchase' }] },
    });
    assert.equal(batch.body.results[0].error, 'digital_id_not_allowed');
    await h.ctx.checkCounts.flush();
    assert.equal(await h.snapshot(), before, 'a refused check is not counted');
    const answered = await eligibility(shop.token, `pseudonym=${shopSub}&action=commerce.purchase`);
    assert.deepEqual(answered.body, { allowed: true, reason: 'eligible', sanctionIds: [] });
    await h.ctx.checkCounts.flush();
    assert.notEqual(await h.snapshot(), before, 'an answered check is counted for the person');
  });

  test('a client only for a live service principal; nothing written otherwise', async () => {
    const before = await h.snapshot();
    const registrar = await h.ctx.principals.create({ role: 'registrar' });
    const revoked = await h.ctx.principals.create({ role: 'service', actions: ['travel.air'] });
    await h.ctx.principals.revoke(revoked.principal.id);
    const after = await h.snapshot();
    for (const id of [registrar.principal.id, revoked.principal.id, 'prn_0000000000000000']) {
      const reply = await h.call('PUT', `/v1/principals/${id}/oidc-client`, {
        token: f.admin,
        body: { redirectUris: [callback] },
      });
      assert.equal(reply.status, 404, JSON.stringify(reply.body));
      assert.equal(reply.body.error, 'principal_not_found');
    }
    const bad = await h.call('PUT', `/v1/principals/${airline.id}/oidc-client`, {
      token: f.admin,
      body: { redirectUris: ['http://service.example/callback'] },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'redirectUris.0');
    assert.notEqual(after, before);
    assert.equal(await h.snapshot(), after);
  });

  test('a revoked service signs no one in any more', async () => {
    const gone = await serviceClient(h, f.admin, 'Gone Air', ['travel.air']);
    await h.ctx.principals.revoke(gone.id);
    const url = client.buildAuthorizationUrl(gone.config, {
      redirect_uri: callback,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const started = await f.tomPerson.call('GET', `${url.pathname}${url.search}`);
    assert.equal(started.status, 400, JSON.stringify(started.body));
    assert.equal(started.body.error, 'invalid_client');
  });

  test('an erased person’s pseudonym is unknown like a made-up one, also on an instance that still held it', async () => {
    const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body: personEnrolment() });
    const person = new Person(h);
    assert.equal((await person.activate(enrolled.body.activation.code)).status, 201);
    const sub = await verifiedSub(h, airline, (await signIn(person, airline)).id_token!);
    assert.equal((await eligibility(airline.token, `pseudonym=${sub}&action=travel.air`)).status, 200);
    // What an erasure on another instance leaves this one with: the subject erased and its
    // pseudonyms gone from the store, while this instance's map still holds the pseudonym.
    await h.ctx.db
      .updateTable('subjects')
      .set({ erased_at: new Date().toISOString() })
      .where('id', '=', enrolled.body.id)
      .execute();
    await h.ctx.db.deleteFrom('service_pseudonyms').where('subject_id', '=', enrolled.body.id).execute();
    await h.ctx.eligibility.refresh([enrolled.body.id]);
    const madeUp = await eligibility(airline.token, `pseudonym=SV${'7'.repeat(24)}&action=travel.air`);
    const erased = await eligibility(airline.token, `pseudonym=${sub}&action=travel.air`);
    assert.equal(erased.status, 404);
    assert.deepEqual(erased.body, madeUp.body);
    await h.ctx.eligibility.rebuild();
    assert.deepEqual(
      (await eligibility(airline.token, `pseudonym=${sub}&action=travel.air`)).body,
      madeUp.body,
    );
  });
});

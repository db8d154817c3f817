import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { days, MovableClock } from './_access.ts';
import { forEachStore, personEnrolment } from './_util.ts';
import { TestWallet } from './_wallet.ts';

// A service learns its own pseudonym for a person from a credential the person presented to it
// (issue 16 item 3): a wallet receives a credential over OpenID4VCI, presents it key-bound to the
// service and a nonce mdis gave that service, and the service trades it for the pseudonym its
// sign-in would give, then checks eligibility by it. Each refusal writes nothing.

const clock = new MovableClock({ frozen: true });
const now = clock.now;
/** The key binding's `iat`: now on the frozen clock. */
const at = () => Math.floor(now().getTime() / 1000);

forEachStore(
  'presentation pseudonyms',
  (h) => {
    let subject: string;
    let subjectToken: string;
    let wallet: TestWallet;
    let identity: string;
    let airline: { id: string; token: string };
    let bank: { id: string; token: string };

    const receive = async (configuration: string, token = subjectToken) => {
      const offer = await h.call('POST', '/v1/me/credentials/offers', {
        token,
        body: { configurations: [configuration] },
      });
      assert.equal(offer.status, 201, JSON.stringify(offer.body));
      return wallet.receive(offer.body.offerUri, offer.body.txCode, configuration);
    };
    const nonceFor = async (service: { token: string }) => {
      const reply = await h.call('POST', '/v1/pseudonyms/nonce', { token: service.token });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply.body.nonce as string;
    };
    /** The wallet presents `sdJwt` to `service`, with a nonce the service got from mdis. */
    const presentTo = async (sdJwt: string, service: { id: string; token: string }) =>
      wallet.present(sdJwt, ['age_over_18'], { aud: service.id, nonce: await nonceFor(service), iat: at() });
    const post = (service: { token: string }, presentation: string) =>
      h.call('POST', '/v1/pseudonyms', { token: service.token, body: { presentation } });
    const issuedCount = async () =>
      (await h.ctx.db.selectFrom('ledger_entries').select('entry').execute()).filter((row) =>
        row.entry.includes('"service.pseudonym_issued"'),
      ).length;
    /** A refusal: its status and code, and nothing written. */
    const refused = async (
      service: { token: string },
      presentation: string,
      status: number,
      code: string,
    ) => {
      const before = await h.snapshot();
      const reply = await post(service, presentation);
      assert.equal(reply.status, status, JSON.stringify(reply.body));
      assert.equal(reply.body.error, code);
      assert.equal(typeof reply.body.message, 'string');
      assert.equal(await h.snapshot(), before, 'a refusal writes nothing');
      return reply;
    };

    before(async () => {
      const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
      (h.ctx.config as { publicUrl: string | undefined }).publicUrl = base;
      const registrar = await h.token({ role: 'registrar' });
      subject = (await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() })).body.id;
      subjectToken = await h.token({ role: 'subject', subject });
      wallet = new TestWallet({ now });
      identity = await receive('mdis_identity');
      const a = await h.ctx.principals.create({ role: 'service', name: 'Skyline', actions: ['travel.air'] });
      const b = await h.ctx.principals.create({ role: 'service', name: 'Bank', actions: ['travel.air'] });
      airline = { id: a.principal.id, token: a.token };
      bank = { id: b.principal.id, token: b.token };
    });

    test('the service gets the pseudonym its sign-in would give, and checks eligibility by it', async () => {
      const unknown = await h.call(
        'GET',
        `/v1/eligibility?pseudonym=${h.ctx.servicePseudonyms.pseudonymOf(airline.id, subject)}&action=travel.air`,
        {
          token: airline.token,
        },
      );
      assert.equal(unknown.status, 404, 'not known before the presentation');
      const logged = await issuedCount();
      const reply = await post(airline, await presentTo(identity, airline));
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      const pseudonym: string = reply.body.pseudonym;
      assert.match(pseudonym, /^SV[0-9A-Z]{24}$/);
      assert.equal(pseudonym, h.ctx.servicePseudonyms.pseudonymOf(airline.id, subject));
      assert.notEqual(pseudonym, subject);
      assert.equal(await issuedCount(), logged + 1, 'service.pseudonym_issued logged once');
      const checked = await h.call('GET', `/v1/eligibility?pseudonym=${pseudonym}&action=travel.air`, {
        token: airline.token,
      });
      assert.equal(checked.status, 200, JSON.stringify(checked.body));
      assert.equal(checked.body.allowed, true);
      // Presented again (a new nonce): the same pseudonym, nothing more in the log.
      const again = await post(airline, await presentTo(identity, airline));
      assert.equal(again.body.pseudonym, pseudonym);
      assert.equal(await issuedCount(), logged + 1);
    });

    test('two services get different pseudonyms from the same credential; either type works', async () => {
      const standing = await receive('mdis_standing');
      const toBank = await post(
        bank,
        wallet.present(standing, [], { aud: bank.id, nonce: await nonceFor(bank), iat: at() }),
      );
      assert.equal(toBank.status, 200, JSON.stringify(toBank.body));
      assert.equal(toBank.body.pseudonym, h.ctx.servicePseudonyms.pseudonymOf(bank.id, subject));
      const toAirline = await post(airline, await presentTo(standing, airline));
      assert.notEqual(toBank.body.pseudonym, toAirline.body.pseudonym);
      // The airline cannot check by the bank's pseudonym.
      const probe = await h.call(
        'GET',
        `/v1/eligibility?pseudonym=${toBank.body.pseudonym}&action=travel.air`,
        {
          token: airline.token,
        },
      );
      assert.equal(probe.status, 404);
    });

    test('a wrong audience, a tampered disclosure, a bad signature are refused', async () => {
      // Addressed to the bank, sent by the airline with its own nonce.
      const forBank = wallet.present(identity, ['age_over_18'], {
        aud: bank.id,
        nonce: await nonceFor(airline),
        iat: at(),
      });
      await refused(airline, forBank, 422, 'key_binding_audience');
      const good = await presentTo(identity, airline);
      const [jwt, ...rest] = good.split('~');
      const forged = Buffer.from(JSON.stringify(['salt0123456789abcdef', 'age_over_18', false])).toString(
        'base64url',
      );
      const tampered = [jwt, forged, ...rest.slice(1)].join('~');
      const reply = await refused(airline, tampered, 422, 'presentation_invalid');
      assert.equal(reply.body.reason, 'tampered_disclosure');
      const [header, payload, signature] = jwt!.split('.');
      const flipped = `${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BA' : 'AA'}`;
      const badSignature = [`${header}.${payload}.${flipped}`, ...rest].join('~');
      const bad = await refused(airline, badSignature, 422, 'presentation_invalid');
      assert.equal(bad.body.reason, 'bad_signature');
    });

    test('a nonce made up, another service’s, or used already is refused', async () => {
      const madeUp = wallet.present(identity, [], {
        aud: airline.id,
        nonce: 'chosen-by-the-service',
        iat: at(),
      });
      await refused(airline, madeUp, 400, 'invalid_nonce');
      const banks = wallet.present(identity, [], { aud: airline.id, nonce: await nonceFor(bank), iat: at() });
      await refused(airline, banks, 400, 'invalid_nonce');
      const once = await presentTo(identity, airline);
      assert.equal((await post(airline, once)).status, 200);
      await refused(airline, once, 400, 'invalid_nonce');
    });

    test('a revoked credential is refused; a locked identity is refused with 409 identity_locked', async () => {
      const old = identity;
      identity = await receive('mdis_identity'); // the reissue revokes the one before
      await refused(airline, await presentTo(old, airline), 409, 'credential_revoked');
      const locked = await h.call('POST', '/v1/me/lock', { token: subjectToken });
      assert.equal(locked.status, 200, JSON.stringify(locked.body));
      await refused(airline, await presentTo(identity, airline), 409, 'identity_locked');
    });

    test('an erased holder is as unknown as a credential mdis never issued: 404', async () => {
      const registrar = await h.token({ role: 'registrar' });
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      const token = await h.token({ role: 'subject', subject: enrolled.body.id });
      const theirs = await receive('mdis_identity', token);
      const closed = await h.call('POST', `/v1/subjects/${enrolled.body.id}/closure`, {
        token: registrar,
        body: { reason: 'duplicate' },
      });
      assert.equal(closed.status, 202, JSON.stringify(closed.body));
      clock.advance(days(30));
      assert.equal((await h.ctx.erasures.eraseDue()).erased, 1);
      await refused(airline, await presentTo(theirs, airline), 404, 'credential_not_found');
    });

    test('only a service may ask', async () => {
      const registrar = await h.token({ role: 'registrar' });
      assert.equal((await h.call('POST', '/v1/pseudonyms/nonce', { token: registrar })).status, 403);
      assert.equal(
        (await h.call('POST', '/v1/pseudonyms', { token: subjectToken, body: { presentation: 'x~' } }))
          .status,
        403,
      );
    });
  },
  { now },
);

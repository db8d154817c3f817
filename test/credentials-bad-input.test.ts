import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, test } from 'node:test';
import { forEachStore, personEnrolment, rowsIn } from './_util.ts';
import { signCompact, TestWallet } from './_wallet.ts';

// Each bad request to the issuer gets the protocol's own error (OAuth 2.0 / OpenID4VCI 1.0) in the
// API's error shape, and nothing is issued; each failed presentation its own reason.

let clock = new Date('2026-12-02T12:00:00.000Z');
const now = () => clock;
const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};
const preAuthorized = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

forEachStore(
  'credentials: bad input',
  (h) => {
    let base: string;
    let subjectToken: string;
    let wallet: TestWallet;

    const newOffer = async (configurations = ['mdis_identity']) => {
      const reply = await h.call('POST', '/v1/me/credentials/offers', {
        token: subjectToken,
        body: { configurations },
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      const grant = reply.body.offer.grants[preAuthorized];
      return { code: grant['pre-authorized_code'] as string, txCode: reply.body.txCode as string };
    };
    const token = (form: Record<string, string>) =>
      fetch(`${base}/v1/credentials/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const accessToken = async (configurations?: string[]) => {
      const { code, txCode } = await newOffer(configurations);
      const response = await token({
        grant_type: preAuthorized,
        'pre-authorized_code': code,
        tx_code: txCode,
      });
      assert.equal(response.status, 200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const nonce = async () =>
      (
        (await (await fetch(`${base}/v1/credentials/nonce`, { method: 'POST' })).json()) as {
          c_nonce: string;
        }
      ).c_nonce;
    const proof = (c_nonce: string, options: { signer?: 'other'; aud?: string } = {}) => {
      const other = generateKeyPairSync('ed25519').privateKey;
      return signCompact(
        { typ: 'openid4vci-proof+jwt', alg: 'EdDSA', jwk: wallet.publicJwk },
        { aud: options.aud ?? base, iat: Math.floor(clock.getTime() / 1000), nonce: c_nonce },
        options.signer === 'other' ? other : wallet.privateKey,
      );
    };
    const credential = (access: string, body: unknown) =>
      fetch(`${base}/v1/credentials/credential`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    /** The reply's status and error, and that nothing at all was written. */
    const refusedWithNothingWritten = async (send: () => Promise<Response>) => {
      const before = await h.snapshot();
      const response = await send();
      const body = (await response.json()) as { error: string; message: string; error_description: string };
      assert.equal(await h.snapshot(), before, 'a refused request wrote');
      assert.equal(typeof body.message, 'string');
      assert.equal(body.error_description, body.message);
      return { status: response.status, error: body.error };
    };
    const issuedCount = () => rowsIn(h.ctx.db, 'credentials');

    before(async () => {
      base = await h.app.listen({ port: 0, host: '127.0.0.1' });
      (h.ctx.config as { publicUrl: string | undefined }).publicUrl = base;
      const registrar = await h.token({ role: 'registrar' });
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      subjectToken = await h.token({ role: 'subject', subject: enrolled.body.id });
      wallet = new TestWallet({ now });
    });

    test('a wrong transaction code: invalid_grant, no token; five of them void the offer', async () => {
      const { code, txCode } = await newOffer();
      const wrong = txCode === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) {
        const response = await token({
          grant_type: preAuthorized,
          'pre-authorized_code': code,
          tx_code: wrong,
        });
        assert.equal(response.status, 400);
        assert.equal(((await response.json()) as { error: string }).error, 'invalid_grant');
      }
      const tokens = await h.ctx.db.selectFrom('credential_access_tokens').selectAll().execute();
      const response = await token({
        grant_type: preAuthorized,
        'pre-authorized_code': code,
        tx_code: txCode,
      });
      assert.equal(response.status, 400, 'the right code after five wrong ones');
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_grant');
      assert.deepEqual(await h.ctx.db.selectFrom('credential_access_tokens').selectAll().execute(), tokens);
    });

    test('a reused pre-authorized code: invalid_grant', async () => {
      const { code, txCode } = await newOffer();
      const form = { grant_type: preAuthorized, 'pre-authorized_code': code, tx_code: txCode };
      assert.equal((await token(form)).status, 200);
      assert.deepEqual(await refusedWithNothingWritten(() => token(form)), {
        status: 400,
        error: 'invalid_grant',
      });
    });

    test('an expired pre-authorized code: invalid_grant', async () => {
      const { code, txCode } = await newOffer();
      later(601);
      const form = { grant_type: preAuthorized, 'pre-authorized_code': code, tx_code: txCode };
      assert.deepEqual(await refusedWithNothingWritten(() => token(form)), {
        status: 400,
        error: 'invalid_grant',
      });
    });

    test('an unknown code, another grant type', async () => {
      const unknown = { grant_type: preAuthorized, 'pre-authorized_code': 'x'.repeat(43), tx_code: '123456' };
      assert.deepEqual(await refusedWithNothingWritten(() => token(unknown)), {
        status: 400,
        error: 'invalid_grant',
      });
      assert.deepEqual(await refusedWithNothingWritten(() => token({ grant_type: 'password' })), {
        status: 400,
        error: 'unsupported_grant_type',
      });
    });

    test('no access token, or an unknown one: invalid_token (401)', async () => {
      const body = { credential_configuration_id: 'mdis_identity', proofs: { jwt: [proof(await nonce())] } };
      assert.deepEqual(await refusedWithNothingWritten(() => credential('y'.repeat(43), body)), {
        status: 401,
        error: 'invalid_token',
      });
    });

    test('an unknown configuration, or one the offer did not include: unknown_credential_configuration', async () => {
      const access = await accessToken(['mdis_identity']);
      for (const id of ['mdis_passport', 'mdis_standing']) {
        const body = { credential_configuration_id: id, proofs: { jwt: [proof(await nonce())] } };
        assert.deepEqual(await refusedWithNothingWritten(() => credential(access, body)), {
          status: 400,
          error: 'unknown_credential_configuration',
        });
      }
    });

    test('a claim the configuration does not have: invalid_credential_request', async () => {
      const access = await accessToken();
      const body = {
        credential_configuration_id: 'mdis_identity',
        claims: [{ path: ['age_over_18'] }, { path: ['credit_score'] }],
        proofs: { jwt: [proof(await nonce())] },
      };
      assert.deepEqual(await refusedWithNothingWritten(() => credential(access, body)), {
        status: 400,
        error: 'invalid_credential_request',
      });
    });

    test('a proof signed by another key than its jwk, or for another issuer: invalid_proof', async () => {
      const access = await accessToken();
      for (const options of [{ signer: 'other' as const }, { aud: 'https://elsewhere.example' }]) {
        const body = {
          credential_configuration_id: 'mdis_identity',
          proofs: { jwt: [proof(await nonce(), options)] },
        };
        assert.deepEqual(await refusedWithNothingWritten(() => credential(access, body)), {
          status: 400,
          error: 'invalid_proof',
        });
      }
    });

    test('a replayed, forged or expired nonce: invalid_nonce, nothing issued', async () => {
      const access = await accessToken();
      const c_nonce = await nonce();
      const body = { credential_configuration_id: 'mdis_identity', proofs: { jwt: [proof(c_nonce)] } };
      assert.equal((await credential(access, body)).status, 200);
      const issued = await issuedCount();
      assert.deepEqual(await refusedWithNothingWritten(() => credential(access, body)), {
        status: 400,
        error: 'invalid_nonce',
      });
      const forged = { ...body, proofs: { jwt: [proof(`${c_nonce.slice(0, -2)}xx`)] } };
      assert.deepEqual(await refusedWithNothingWritten(() => credential(access, forged)), {
        status: 400,
        error: 'invalid_nonce',
      });
      const old = await nonce();
      later(301);
      const fresh = await accessToken();
      const expired = { ...body, proofs: { jwt: [proof(old)] } };
      assert.deepEqual(await refusedWithNothingWritten(() => credential(fresh, expired)), {
        status: 400,
        error: 'invalid_nonce',
      });
      assert.equal(await issuedCount(), issued);
    });

    test('the pruning pass deletes expired offers, access tokens and spent nonces, nothing live', async () => {
      later(3_600);
      const live = await newOffer();
      const deleted = await h.ctx.credentials.pruneExpired();
      assert.ok(deleted > 0, 'nothing was pruned');
      const offers = await h.ctx.db.selectFrom('credential_offers').select('expires_at').execute();
      assert.equal(offers.length, 1);
      for (const table of ['credential_access_tokens', 'credential_spent_nonces'] as const) {
        assert.equal((await h.ctx.db.selectFrom(table).selectAll().execute()).length, 0, table);
      }
      const form = { grant_type: preAuthorized, 'pre-authorized_code': live.code, tx_code: live.txCode };
      assert.equal((await token(form)).status, 200, 'the live offer was pruned');
    });
  },
  { now },
);

import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { before, test } from 'node:test';
import { digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { PresentationVerifier } from '../src/credentials/verifier.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { forEachStore, personEnrolment } from './_util.ts';
import { TestWallet } from './_wallet.ts';

// What a world runs (src/credentials/verifier.ts, docs/credentials.md) against presentations a
// wallet makes: each way a presentation can be wrong fails with its own reason, and a revoked
// credential fails as revoked, never as a bad signature.

const start = new Date('2026-12-02T12:00:00.000Z');
let clock = start;
const now = () => clock;
const world = 'https://plaza.example';
const iat = Math.floor(start.getTime() / 1000);

forEachStore(
  'credentials: a world verifies presentations',
  (h) => {
    let base: string;
    let subject: string;
    let wallet: TestWallet;
    let sdJwt: string;
    let verifier: PresentationVerifier;
    let library: SDJwtVcInstance;
    const fetched: string[] = [];

    before(async () => {
      clock = start;
      base = await h.app.listen({ port: 0, host: '127.0.0.1' });
      (h.ctx.config as { publicUrl: string | undefined }).publicUrl = base;
      const registrar = await h.token({ role: 'registrar' });
      subject = (await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() })).body.id;
      const token = await h.token({ role: 'subject', subject });
      wallet = new TestWallet({ now });
      const offer = await h.call('POST', '/v1/me/credentials/offers', {
        token,
        body: { configurations: ['mdis_identity'] },
      });
      sdJwt = await wallet.receive(offer.body.offerUri, offer.body.txCode, 'mdis_identity');
      // The world knows mdis's keys from its published metadata, fetched once.
      const metadata = (await (await fetch(`${base}/.well-known/jwt-vc-issuer`)).json()) as {
        jwks: { keys: (import('node:crypto').JsonWebKey & { kty: string })[] };
      };
      verifier = new PresentationVerifier({
        issuer: base,
        keys: metadata.jwks.keys,
        now,
        fetchStatusList: async (uri) => {
          fetched.push(uri);
          return (await fetch(uri)).text();
        },
      });
      // The OpenWallet Foundation's SD-JWT VC verifier, with the same published key and status list.
      const issuerKey = createPublicKey({ key: metadata.jwks.keys[0]!, format: 'jwk' });
      const holderKey = createPublicKey({ key: wallet.publicJwk as never, format: 'jwk' });
      const ed25519 = (key: typeof issuerKey) => (data: string, signature: string) =>
        verifySignature(null, Buffer.from(data), key, Buffer.from(signature, 'base64url'));
      library = new SDJwtVcInstance({
        hasher: digest,
        verifier: ed25519(issuerKey),
        kbVerifier: ed25519(holderKey),
        statusListFetcher: async (uri) => (await fetch(uri)).text(),
      });
    });

    const verify = (presentation: string, expected = { audience: world, nonce: 'n-1' }) =>
      verifier.verify(presentation, expected);
    const reasonOf = async (presentation: string, expected?: { audience: string; nonce: string }) => {
      const result = await verify(presentation, expected);
      assert.equal(result.ok, false, 'the presentation was accepted');
      return result.ok ? undefined : result.reason;
    };

    test('a presentation of one claim verifies, and discloses that claim only', async () => {
      const result = await verify(wallet.present(sdJwt, ['age_over_18'], { aud: world, nonce: 'n-1', iat }));
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.claims, { age_over_18: true });
      assert.notEqual(result.sub, subject);
      assert.equal(result.vct, `${base}/credentials/identity`);
    });

    test('a tampered disclosure: tampered_disclosure', async () => {
      const presented = wallet.present(sdJwt, ['age_over_18'], { aud: world, nonce: 'n-1', iat });
      const parts = presented.split('~');
      const [salt] = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as [string];
      parts[1] = Buffer.from(JSON.stringify([salt, 'age_over_18', false])).toString('base64url');
      // The holder signs the key binding over the tampered disclosures: only the digest catches it.
      const tampered = wallet.present(`${parts[0]}~${parts[1]}~`, ['age_over_18'], {
        aud: world,
        nonce: 'n-1',
        iat,
      });
      assert.equal(await reasonOf(tampered), 'tampered_disclosure');
    });

    test('a key binding for another audience or nonce: key_binding_audience, key_binding_nonce', async () => {
      const presented = wallet.present(sdJwt, ['age_over_18'], {
        aud: 'https://other.example',
        nonce: 'n-1',
        iat,
      });
      assert.equal(await reasonOf(presented), 'key_binding_audience');
      const replayed = wallet.present(sdJwt, ['age_over_18'], { aud: world, nonce: 'n-0', iat });
      assert.equal(await reasonOf(replayed), 'key_binding_nonce');
      const none = `${sdJwt}`;
      assert.equal(await reasonOf(none), 'key_binding_missing');
    });

    test("a signature that is not the issuer's: bad_signature", async () => {
      const [jwt, ...rest] = sdJwt.split('~');
      const [head, body, signature] = jwt!.split('.');
      const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
      const forged = wallet.present([`${head}.${body}.${flipped}`, ...rest].join('~'), ['age_over_18'], {
        aud: world,
        nonce: 'n-1',
        iat,
      });
      assert.equal(await reasonOf(forged), 'bad_signature');
    });

    test('the OpenWallet Foundation verifier (@sd-jwt/sd-jwt-vc) accepts the same presentation', async () => {
      const presented = wallet.present(sdJwt, ['age_over_18', 'nationality'], {
        aud: world,
        nonce: 'n-1',
        iat,
      });
      const result = await library.verify(presented, { keyBindingNonce: 'n-1', currentDate: iat });
      assert.equal((result.payload as Record<string, unknown>).age_over_18, true);
      assert.equal((result.payload as Record<string, unknown>).nationality, 'GB');
      assert.equal((result.payload as Record<string, unknown>).name, undefined);
    });

    test('a revoked credential fails as revoked, with a valid signature', async () => {
      await inTransaction(h.ctx.db, (tx) => h.ctx.credentials.revokeAllOf(tx, subject, 'locked'));
      const presented = wallet.present(sdJwt, ['age_over_18'], { aud: world, nonce: 'n-1', iat });
      // The world keeps a list for the token's ttl (1 s): the documented bound, passed on the clock.
      assert.ok((await verify(presented)).ok, 'the cached list was not used');
      clock = new Date(clock.getTime() + 1_000);
      assert.equal(await reasonOf(presented), 'revoked');
      await assert.rejects(
        library.verify(presented, { keyBindingNonce: 'n-1', currentDate: iat + 1 }),
        /Status is not valid/,
      );
      assert.ok(
        fetched.length >= 1 && fetched.every((uri) => uri.startsWith(`${base}/v1/credentials/status/`)),
      );
    });
  },
  { now },
);

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { CredentialKeys, replacedKeySeconds } from '../src/credentials/keys.ts';
import { getJson, openByHand } from './_sd-jwt.ts';
import { storeCli } from './_store-cli.ts';
import { forEachStore, personEnrolment } from './_util.ts';
import { TestWallet } from './_wallet.ts';

// Credentials end to end over real HTTP: a wallet no one here wrote receives through OpenID4VCI,
// and every credential is checked by a path that shares nothing with the issuing code: split by
// hand, each disclosure hashed and found in `_sd`, the signature verified with `jose` against the
// JWKS fetched from the server.

const clock = new Date('2026-12-02T12:00:00.000Z');
const now = () => clock;

forEachStore(
  'credentials',
  (h) => {
    let base: string;
    let subject: string;
    let subjectToken: string;
    let wallet: TestWallet;

    const offer = async (configurations: string[], withGrade = false) => {
      const reply = await h.call('POST', '/v1/me/credentials/offers', {
        token: subjectToken,
        body: { configurations, withGrade },
      });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return reply.body as { offerUri: string; txCode: string; offer: Record<string, unknown> };
    };
    const receive = async (configuration: string, withGrade = false) => {
      const { offerUri, txCode } = await offer([configuration], withGrade);
      return wallet.receive(offerUri, txCode, configuration);
    };
    const statusOf = async (sdJwt: string) => {
      const { payload } = openByHand(sdJwt);
      const { idx, uri } = (payload.status as { status_list: { idx: number; uri: string } }).status_list;
      const response = await fetch(uri);
      assert.equal(response.headers.get('content-type'), 'application/statuslist+jwt');
      return getListFromStatusListJWT(await response.text()).getStatus(idx);
    };

    before(async () => {
      base = await h.app.listen({ port: 0, host: '127.0.0.1' });
      (h.ctx.config as { publicUrl: string | undefined }).publicUrl = base;
      const registrar = await h.token({ role: 'registrar' });
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      subject = enrolled.body.id;
      subjectToken = await h.token({ role: 'subject', subject });
      wallet = new TestWallet({ now });
    });

    test('the issuer publishes its metadata, keys and did:web document', async () => {
      const metadata = await getJson(`${base}/.well-known/openid-credential-issuer`);
      assert.equal(metadata.credential_issuer, base);
      assert.deepEqual(Object.keys(metadata.credential_configurations_supported).sort(), [
        'mdis_identity',
        'mdis_standing',
      ]);
      const jwks = await getJson(`${base}/.well-known/jwks.json`);
      // The issuer's key, beside the keys of mdis's other purposes (a person's export).
      const issuerKeys = jwks.keys.filter((k: { kid: string }) => k.kid.startsWith('mdis-credential-'));
      assert.equal(issuerKeys.length, 1);
      assert.equal(issuerKeys[0].crv, 'Ed25519');
      for (const key of jwks.keys) assert.equal(key.d, undefined, 'a private key is published');
      const vcIssuer = await getJson(`${base}/.well-known/jwt-vc-issuer`);
      assert.equal(vcIssuer.issuer, base);
      assert.deepEqual(vcIssuer.jwks, { keys: issuerKeys });
      const did = await getJson(`${base}/.well-known/did.json`);
      assert.equal(did.id, `did:web:${encodeURIComponent(new URL(base).host)}`);
      assert.deepEqual(did.verificationMethod[0].publicKeyJwk, issuerKeys[0]);
    });

    test('a wallet receives an identity credential; every claim checks by hand and the signature with jose', async () => {
      const sdJwt = await receive('mdis_identity');
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
      // Nothing but the claims' digests is visible without disclosures.
      for (const name of Object.keys(claims)) assert.equal(payload[name], undefined);
      assert.equal(payload.vct, `${base}/credentials/identity`);
      assert.deepEqual((payload.cnf as { jwk: object }).jwk, wallet.publicJwk);
      assert.notEqual(payload.sub, subject);
      assert.ok(!JSON.stringify(payload).includes(subject), 'the digital ID is in the credential');
      assert.equal(await statusOf(sdJwt), 0);
    });

    test('a standing credential: grade only when chosen; each credential its own pseudonym', async () => {
      const without = openByHand(await receive('mdis_standing'));
      assert.deepEqual(without.claims, { unique_person: true, not_banned: true });
      const withGrade = openByHand(await receive('mdis_standing', true));
      assert.equal(typeof withGrade.claims.grade, 'string');
      assert.notEqual(without.payload.sub, withGrade.payload.sub);
    });

    test('a wallet may ask for fewer claims: only those are in the credential', async () => {
      const { offerUri, txCode } = await offer(['mdis_identity']);
      const { issuerMetadata, accessToken } = await wallet.redeem(offerUri, txCode);
      const sdJwt = await wallet.request(issuerMetadata, accessToken, 'mdis_identity', {
        claims: [{ path: ['age_over_18'] }],
      });
      const { payload, claims } = openByHand(sdJwt);
      assert.deepEqual(claims, { age_over_18: true });
      assert.equal(payload._sd.length, 1);
    });

    test('given and family names stated at enrolment are in the identity credential, each its own disclosure', async () => {
      const registrar = await h.token({ role: 'registrar' });
      const base = personEnrolment();
      const body = {
        ...base,
        natural: { ...base.natural, legalName: 'Rivers Tom', givenName: 'Tom', familyName: 'Rivers' },
      };
      const enrolled = await h.call('POST', '/v1/subjects', { token: registrar, body });
      assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
      const token = await h.token({ role: 'subject', subject: enrolled.body.id });
      const made = await h.call('POST', '/v1/me/credentials/offers', {
        token,
        body: { configurations: ['mdis_identity'] },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const own = new TestWallet({ now });
      const { payload, claims } = openByHand(
        await own.receive(made.body.offerUri, made.body.txCode, 'mdis_identity'),
      );
      assert.deepEqual(claims, {
        name: 'Rivers Tom',
        given_name: 'Tom',
        family_name: 'Rivers',
        birthdate: '1990-04-01',
        nationality: 'GB',
        age_over_13: true,
        age_over_18: true,
      });
      assert.equal(payload._sd.length, 7);
      assert.equal(payload.given_name, undefined);
      assert.equal(payload.family_name, undefined);

      // A wallet may ask for the family name alone.
      const again = await h.call('POST', '/v1/me/credentials/offers', {
        token,
        body: { configurations: ['mdis_identity'] },
      });
      const { issuerMetadata, accessToken } = await own.redeem(again.body.offerUri, again.body.txCode);
      const only = openByHand(
        await own.request(issuerMetadata, accessToken, 'mdis_identity', {
          claims: [{ path: ['family_name'] }],
        }),
      );
      assert.deepEqual(only.claims, { family_name: 'Rivers' });
      assert.equal(only.payload._sd.length, 1);
    });

    test('a person enrolled without given and family names gets no such claims, and the metadata names them', async () => {
      const { claims, payload } = openByHand(await receive('mdis_identity'));
      assert.ok(!('given_name' in claims) && !('family_name' in claims), JSON.stringify(claims));
      assert.equal(payload._sd.length, 5);
      const metadata = await getJson(`${base}/.well-known/openid-credential-issuer`);
      const described = metadata.credential_configurations_supported.mdis_identity.credential_metadata.claims;
      assert.deepEqual(
        described.map((c: { path: string[] }) => c.path[0]),
        ['name', 'given_name', 'family_name', 'birthdate', 'nationality', 'age_over_13', 'age_over_18'],
      );
      assert.deepEqual(described[1].display, [{ name: 'Given name', locale: 'en' }]);
    });

    test('the store keeps what revocation needs, the ledger ids only; no claim value anywhere', async () => {
      const snapshot = await h.snapshot();
      for (const value of ['Thomas Example', '1990-04-01', wallet.publicJwk.x!]) {
        assert.ok(!snapshot.includes(value), `${value} is in the store`);
      }
      const issued = await h.ctx.ledger.entriesOfKind('credential.issued', '2000', '3000');
      assert.ok(issued.length >= 3);
      for (const act of issued) {
        // The person only as a commitment (issue 13): no two entries share a visible value of theirs.
        assert.deepEqual(Object.keys(act.refs).sort(), ['credential', 'type']);
        assert.deepEqual(Object.keys((act as { commitments?: object }).commitments ?? {}), ['subject']);
      }
      const mine = await h.call('GET', '/v1/me/credentials', { token: subjectToken });
      assert.equal(mine.status, 200);
      // The second standing credential revoked the first (a reissue).
      const standing = mine.body.credentials.filter((c: { type: string }) => c.type === 'mdis_standing');
      assert.deepEqual(standing.map((c: { status: string }) => c.status).sort(), ['revoked', 'valid']);
      assert.equal(
        standing.find((c: { status: string }) => c.status === 'revoked').revokedReason,
        'reissued',
      );
    });

    test('a ban revokes the standing credential in the status list as soon as it commits', async () => {
      const standing = await receive('mdis_standing');
      const identity = await receive('mdis_identity');
      assert.equal(await statusOf(standing), 0);
      await h.ctx.sanctions.impose({ subject, kind: 'ban', reason: 'test ban', source: 'manual' }, 'test');
      // No wait and no clock change: the list is read at each request.
      assert.equal(await statusOf(standing), 1);
      assert.equal(await statusOf(identity), 0);
      const response = await fetch(`${base}/v1/credentials/status/1`);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=1');
      const after = openByHand(await receive('mdis_standing'));
      assert.equal(after.claims.not_banned, false);
    });

    test('a lock revokes every credential at once; no new offer, and an offer made before issues nothing', async () => {
      const identity = await receive('mdis_identity');
      const early = await offer(['mdis_identity']);
      const issued = async () =>
        (await h.ctx.db.selectFrom('credentials').select('id').where('subject_id', '=', subject).execute())
          .length;
      const count = await issued();
      const locked = await h.call('POST', '/v1/me/lock', { token: subjectToken });
      assert.equal(locked.status, 200, JSON.stringify(locked.body));
      // In the lock's own transaction: no wait and no clock change.
      assert.equal(await statusOf(identity), 1);
      const mine = await h.call('GET', '/v1/me/credentials', { token: subjectToken });
      assert.ok(
        mine.body.credentials.every((c: { status: string }) => c.status === 'revoked'),
        JSON.stringify(mine.body),
      );

      const before = await h.snapshot();
      const refused = await h.call('POST', '/v1/me/credentials/offers', {
        token: subjectToken,
        body: { configurations: ['mdis_identity'] },
      });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error, 'identity_locked');
      assert.equal(await h.snapshot(), before);
      await assert.rejects(wallet.receive(early.offerUri, early.txCode, 'mdis_identity'));
      assert.equal(await issued(), count, 'nothing issued on the offer made before the lock');
    });

    test('an unknown status list is 404', async () => {
      const reply = await h.call('GET', '/v1/credentials/status/999');
      assert.equal(reply.status, 404);
      assert.equal(reply.body.error, 'status_list_not_found');
    });

    test('mdis keys rotate --purpose credential: a credential signed before still verifies at the JWKS; new ones and the status list use the new key', async () => {
      // Another person: the one above has locked its identity.
      const registrar = await h.token({ role: 'registrar' });
      subject = (await h.call('POST', '/v1/subjects', { token: registrar, body: personEnrolment() })).body.id;
      subjectToken = await h.token({ role: 'subject', subject });
      const before = openByHand(await receive('mdis_identity'));
      const oldKid = decodeProtectedHeader(before.jwt).kid;
      const rotated = await storeCli(h, ['keys', 'rotate', '--purpose', 'credential']);
      assert.equal(rotated.code, 0, rotated.err);
      const kid = /^rotated credential: new key (\S+)$/m.exec(rotated.out)?.[1];
      assert.ok(kid && kid !== oldKid, rotated.out);

      // The serving instance's reload pass, driven here: it publishes and signs with the new key.
      assert.equal(await h.ctx.credentials.keys.refresh(), true);
      const jwks = await getJson(`${base}/.well-known/jwks.json`);
      // The set also holds the export's key (another purpose): the credential keys, newest first.
      assert.deepEqual(
        jwks.keys.map((k: { kid: string }) => k.kid).filter((k: string) => k.startsWith('mdis-credential-')),
        [kid, oldKid],
      );
      const did = await getJson(`${base}/.well-known/did.json`);
      assert.equal(did.verificationMethod.length, 2);
      const keys = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
      const options = { issuer: base, typ: 'dc+sd-jwt', currentDate: clock };
      assert.equal((await jwtVerify(before.jwt, keys, options)).protectedHeader.kid, oldKid);
      const after = openByHand(await receive('mdis_identity'));
      assert.equal((await jwtVerify(after.jwt, keys, options)).protectedHeader.kid, kid);
      const { uri } = (after.payload.status as { status_list: { uri: string } }).status_list;
      const list = await (await fetch(uri)).text();
      assert.equal((await jwtVerify(list, keys, { currentDate: clock })).protectedHeader.kid, kid);

      const logged = await h.ctx.ledger.entriesOfKind('keys.rotated', '2000', '3000');
      assert.deepEqual(
        logged.map((act) => act.refs),
        [{ purpose: 'credential', kid }],
      );
      // The replaced key leaves once every credential it may have signed has expired.
      const at = (seconds: number) =>
        new CredentialKeys({
          db: h.ctx.db,
          keyring: h.ctx.keyring,
          now: () => new Date(Date.now() + seconds * 1000),
        });
      const publishedAt = async (seconds: number) => (await at(seconds).published()).map((k) => k.kid);
      assert.deepEqual(await publishedAt(replacedKeySeconds - 60), [kid, oldKid]);
      assert.deepEqual(await publishedAt(replacedKeySeconds + 1), [kid]);
      const listed = (await storeCli(h, ['keys', 'list', '--purpose', 'credential'])).out.trim().split('\n');
      assert.equal(listed.length, 2);
      assert.match(
        listed[0]!,
        new RegExp(`^credential\t${oldKid}\tcreated \\S+\tretired \\S+\tpublished until \\S+$`),
      );
      assert.match(listed[1]!, new RegExp(`^credential\t${kid}\tcreated \\S+\tsigning$`));
    });
  },
  { now },
);

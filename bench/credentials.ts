// Credentials (issue 16), each against @sd-jwt/core doing the same in the same run: SD-JWT VC
// issuance (five claims, each its own disclosure, Ed25519) and presentation verification (issuer
// signature, disclosures, key binding), then status lookups in a decoded status list against the
// library's own StatusList. Both sides sign and verify with Ed25519; the library with its
// @sd-jwt/crypto-nodejs helpers (WebCrypto), mdis with node:crypto's one-shot sign and verify.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest, generateSalt, getSigner, getVerifier } from '@sd-jwt/crypto-nodejs';
import { getListFromStatusListJWT, StatusList } from '@sd-jwt/jwt-status-list';
import { newNonce } from '../src/credentials/proof.ts';
import { issueSdJwt } from '../src/credentials/sd-jwt.ts';
import { StatusBits, statusListSize } from '../src/credentials/status-list.ts';
import { PresentationVerifier } from '../src/credentials/verifier.ts';
import { openBenchStore, person } from './_fixtures.ts';
import { progress, rates, type Suite } from './_measure.ts';

const issuer = 'https://mdis.example';
const statusUri = `${issuer}/v1/credentials/status/1`;
const audience = 'https://plaza.example';
const claims = {
  name: 'Thomas Example',
  birthdate: '1990-04-01',
  nationality: 'GB',
  age_over_13: true,
  age_over_18: true,
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const credentials: Suite = {
  name: 'credentials',
  async run() {
    const issuerKeys = generateKeyPairSync('ed25519');
    const holderKeys = generateKeyPairSync('ed25519');
    const issuerJwk = { ...issuerKeys.publicKey.export({ format: 'jwk' }), kty: 'OKP', kid: 'k1' };
    const holderJwk = holderKeys.publicKey.export({ format: 'jwk' });
    const now = Math.floor(Date.now() / 1000);
    const payload = (i: number) => ({
      iss: issuer,
      iat: now,
      exp: now + 86_400,
      vct: `${issuer}/credentials/identity`,
      sub: `pseudonym-${i}`,
      cnf: { jwk: holderJwk },
      status: { status_list: { idx: i % statusListSize, uri: statusUri } },
    });
    const header = { alg: 'EdDSA', typ: 'dc+sd-jwt', kid: 'k1' };

    // The library, configured with its own Node crypto helpers.
    const ed = { name: 'Ed25519' };
    const library = new SDJwtInstance({
      signer: await getSigner(issuerKeys.privateKey.export({ format: 'jwk' }), ed, ed),
      signAlg: 'EdDSA',
      verifier: await getVerifier(issuerJwk, ed, ed),
      kbSigner: await getSigner(holderKeys.privateKey.export({ format: 'jwk' }), ed, ed),
      kbSignAlg: 'EdDSA',
      kbVerifier: await getVerifier(holderJwk, ed, ed),
      hasher: digest,
      saltGenerator: generateSalt,
    });
    const frame = { _sd: Object.keys(claims) as (keyof typeof claims)[] };

    // Presentations of two claims, key-bound, one from each side's issuance.
    const kb = { aud: audience, nonce: 'n-1', iat: now };
    const ours = issueSdJwt({
      header,
      payload: payload(1),
      disclosable: claims,
      key: issuerKeys.privateKey,
    }).sdJwt;
    const ourPresentation = presentTwo(ours, holderKeys.privateKey, kb);
    const theirs = await library.issue({ ...payload(2), ...claims }, frame, {
      header: { typ: 'dc+sd-jwt', kid: 'k1' },
    });
    const theirPresentation = await library.present(
      theirs,
      { age_over_18: true, nationality: true },
      { kb: { payload: kb } },
    );

    // The status list both verify against: every 7th entry revoked, as a served token would say.
    const statuses = new Array<number>(statusListSize).fill(0).map((_, i) => (i % 7 === 3 ? 1 : 0));
    const list = new StatusList(statuses, 1);
    const listToken = `${b64({ alg: 'EdDSA', typ: 'statuslist+jwt', kid: 'k1' })}.${b64({ sub: statusUri, iat: now, exp: now + 86_400, ttl: 3_600, status_list: { bits: 1, lst: list.compressStatusList() } })}`;
    const signedList = `${listToken}.${sign(null, Buffer.from(listToken), issuerKeys.privateKey).toString('base64url')}`;
    const verifier = new PresentationVerifier({
      issuer,
      keys: [issuerJwk],
      fetchStatusList: async () => signedList,
      now: () => new Date(now * 1000),
    });
    // Each side accepts the other's presentation: the comparison is of the same work.
    for (const [name, check] of [
      [
        'mdis verifies the library\u2019s presentation',
        () => verifier.verify(theirPresentation, { audience, nonce: 'n-1' }),
      ],
      [
        'mdis verifies its own presentation',
        () => verifier.verify(ourPresentation, { audience, nonce: 'n-1' }),
      ],
    ] as const) {
      const result = await check();
      if (!result.ok) throw new Error(`${name}: ${result.reason} ${result.message}`);
    }
    await library.verify(ourPresentation, { keyBindingNonce: 'n-1' } as never);

    progress('credentials: issuance, verification, status lookups…');
    const issuance = await rates({
      mdis: {
        sync: (i) =>
          issueSdJwt({ header, payload: payload(i), disclosable: claims, key: issuerKeys.privateKey }),
      },
      library: {
        async: (i) =>
          library.issue({ ...payload(i), ...claims }, frame, { header: { typ: 'dc+sd-jwt', kid: 'k1' } }),
      },
    });
    const verification = await rates({
      mdis: { async: () => verifier.verify(ourPresentation, { audience, nonce: 'n-1' }) },
      library: { async: () => library.verify(theirPresentation, { keyBindingNonce: 'n-1' } as never) },
    });
    const endpoint = await endpointRate(issuance.library);
    const bits = StatusBits.fromClaim({ bits: 1, lst: list.compressStatusList() });
    const decoded = getListFromStatusListJWT(signedList);
    const mask = statusListSize - 1;
    let revoked = 0;
    const lookups = await rates({
      mdis: {
        sync: (i) => {
          revoked += bits.status((i * 7919) & mask)!;
        },
      },
      library: {
        sync: (i) => {
          revoked += decoded.getStatus((i * 7919) & mask);
        },
      },
    });
    if (revoked === 0) throw new Error('no lookup found a revoked entry');
    return {
      title: 'credentials — SD-JWT VC, 5 claims each its own disclosure, Ed25519; one process, one at a time',
      rows: [
        {
          name: 'issuance (sign an SD-JWT VC)',
          value: issuance.mdis,
          baseline: '@sd-jwt/core issue',
          baselineValue: issuance.library,
          target: { ratioAtLeast: 1.5 },
        },
        {
          name: 'presentation verification (signature, disclosures, key binding, status)',
          value: verification.mdis,
          baseline: '@sd-jwt/core verify (no status)',
          baselineValue: verification.library,
          target: { ratioAtLeast: 1.0 },
        },
        endpoint,
        {
          name: 'status lookups in a decoded list',
          value: lookups.mdis,
          baseline: '@sd-jwt/jwt-status-list getStatus',
          baselineValue: lookups.library,
          target: { rateAtLeast: 1_000_000 },
        },
      ],
      notes: [
        `status list: ${statusListSize} entries, 1 bit each; verification reads it from the verifier's cache (the token's ttl)`,
      ],
    };
  },
};

/** A presentation of two claims with a key-binding JWT, as a wallet makes it. */
function presentTwo(
  sdJwt: string,
  holder: import('node:crypto').KeyObject,
  kb: { aud: string; nonce: string; iat: number },
) {
  const [jwt, ...rest] = sdJwt.split('~');
  const chosen = rest
    .slice(0, -1)
    .filter((d) =>
      ['age_over_18', 'nationality'].includes(JSON.parse(Buffer.from(d, 'base64url').toString())[1]),
    );
  const withoutKb = `${jwt}~${chosen.map((d) => `${d}~`).join('')}`;
  const input = `${b64({ typ: 'kb+jwt', alg: 'EdDSA' })}.${b64({ ...kb, sd_hash: createHash('sha256').update(withoutKb).digest('base64url') })}`;
  return `${withoutKb}${input}.${sign(null, Buffer.from(input), holder).toString('base64url')}`;
}

/**
 * The whole credential endpoint in-process, on a durable SQLite store: access token looked up,
 * proof of possession checked, c_nonce spent, a status entry taken, the previous credential of the
 * type revoked (a reissue), the credential signed, its row and two log entries written. The
 * wallet's proof is made in the loop too. Set against the library's bare issuance, for scale.
 */
async function endpointRate(libraryIssuance: number) {
  const store = await openBenchStore();
  try {
    const { ctx } = store;
    const subject = (await ctx.subjects.enrol(person(0), 'bench')).id;
    const offer = await ctx.credentials.offers.create(subject, {
      configurations: ['mdis_identity'],
      withGrade: false,
    });
    const grant = offer.offer.grants as Record<string, { 'pre-authorized_code': string }>;
    const code = Object.values(grant)[0]!['pre-authorized_code'];
    const { accessToken } = await ctx.credentials.offers.redeem({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      tx_code: offer.txCode,
    });
    const holder = generateKeyPairSync('ed25519');
    const jwk = holder.publicKey.export({ format: 'jwk' });
    const aud = ctx.credentials.issuer();
    const request = () => {
      const input = `${b64({ typ: 'openid4vci-proof+jwt', alg: 'EdDSA', jwk })}.${b64({ aud, iat: Math.floor(Date.now() / 1000), nonce: newNonce(ctx.keyring, new Date()) })}`;
      const proof = `${input}.${sign(null, Buffer.from(input), holder.privateKey).toString('base64url')}`;
      return { credential_configuration_id: 'mdis_identity', proofs: { jwt: [proof] } };
    };
    const rate = await rates({
      endpoint: { async: () => ctx.credentials.issue(`Bearer ${accessToken}`, request()) },
    });
    return {
      name: 'credential endpoint in-process (SQLite, durable; proof, nonce, status entry, reissue, 2 log entries)',
      value: rate.endpoint,
      baseline: '@sd-jwt/core issue (signing only)',
      baselineValue: libraryIssuance,
    };
  } finally {
    await store.remove();
  }
}

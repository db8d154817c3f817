import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { clientAuthenticationAnonymous, type Jwk, type JwtSigner, setGlobalConfig } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';

// A wallet that no one here wrote the protocol of: the OpenWallet Foundation's OpenID4VCI client
// (@openid4vc/openid4vci), over real HTTP, with an Ed25519 holder key of its own. The test server
// is plain http on 127.0.0.1.
setGlobalConfig({ allowInsecureUrls: true });

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export function signCompact(header: object, payload: object, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

export class TestWallet {
  readonly privateKey: KeyObject;
  readonly publicJwk: Jwk;
  readonly client: Openid4vciClient;

  constructor(options: { now: () => Date }) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicJwk = publicKey.export({ format: 'jwk' }) as Jwk;
    const key = privateKey;
    this.client = new Openid4vciClient({
      callbacks: {
        fetch,
        hash: (data, alg) => {
          if (alg !== 'sha-256') throw new Error(`no ${alg}`);
          return createHash('sha256').update(data).digest();
        },
        generateRandom: (n) => randomBytes(n),
        clientAuthentication: clientAuthenticationAnonymous(),
        signJwt: async (signer: JwtSigner, { header, payload }) => {
          const jwk = signer.method === 'jwk' ? signer.publicJwk : this.publicJwk;
          return { jwt: signCompact(header, payload, key), signerJwk: jwk };
        },
      },
    });
    this.now = options.now;
  }

  readonly now: () => Date;

  /** The whole pre-authorized flow: offer link → metadata → token (with the tx code) → nonce → credential. */
  async receive(offerUri: string, txCode: string, configurationId: string): Promise<string> {
    const { issuerMetadata, accessToken } = await this.redeem(offerUri, txCode);
    return this.request(issuerMetadata, accessToken, configurationId);
  }

  async redeem(offerUri: string, txCode: string) {
    const offer = await this.client.resolveCredentialOffer(offerUri);
    const issuerMetadata = await this.client.resolveIssuerMetadata(offer.credential_issuer);
    const { accessTokenResponse } = await this.client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer,
      issuerMetadata,
      txCode,
    });
    return { offer, issuerMetadata, accessToken: accessTokenResponse.access_token };
  }

  async request(
    issuerMetadata: Awaited<ReturnType<Openid4vciClient['resolveIssuerMetadata']>>,
    accessToken: string,
    credentialConfigurationId: string,
    additionalRequestPayload?: Record<string, unknown>,
  ): Promise<string> {
    const { c_nonce } = await this.client.requestNonce({ issuerMetadata });
    const proof = await this.client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId,
      nonce: c_nonce,
      issuedAt: this.now(),
      signer: { method: 'jwk', alg: 'EdDSA', publicJwk: this.publicJwk },
    });
    const response = await this.client.retrieveCredentials({
      issuerMetadata,
      accessToken,
      credentialConfigurationId,
      proofs: { jwt: [proof.jwt] },
      ...(additionalRequestPayload === undefined ? {} : { additionalRequestPayload }),
    });
    const first = response.credentialResponse.credentials?.[0];
    const credential = typeof first === 'object' && 'credential' in first ? first.credential : undefined;
    if (typeof credential !== 'string') throw new Error('no credential in the response');
    return credential;
  }

  /** A presentation of the disclosures named, key-bound to `aud` and `nonce` (RFC 9901 section 4.3). */
  present(sdJwt: string, names: string[], kb: { aud: string; nonce: string; iat: number }): string {
    const [jwt, ...rest] = sdJwt.split('~');
    const chosen = rest.slice(0, -1).filter((d) => {
      const [, name] = JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as [string, string];
      return names.includes(name);
    });
    const withoutKb = `${jwt}~${chosen.map((d) => `${d}~`).join('')}`;
    const sdHash = createHash('sha256').update(withoutKb).digest('base64url');
    const kbJwt = signCompact(
      { typ: 'kb+jwt', alg: 'EdDSA' },
      { iat: kb.iat, aud: kb.aud, nonce: kb.nonce, sd_hash: sdHash },
      this.privateKey,
    );
    return `${withoutKb}${kbJwt}`;
  }
}

import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';

/**
 * A software passkey authenticator (ES256 on P-256, attestation "none", user verified), for the
 * demo and the tests: it answers the same JSON a browser's navigator.credentials does.
 */
export class SoftwareAuthenticator {
  readonly #credentials = new Map<
    string,
    { key: KeyObject; userHandle: string; rpID: string; counter: number }
  >();

  /** Answers registration options as a browser at `origin` would. */
  register(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    origin: string,
    tamper: { rpID?: string; userVerified?: boolean } = {},
  ) {
    const rpID = options.rp.id ?? new URL(origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(16);
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      authenticatorData(tamper.rpID ?? rpID, 0x41 | (tamper.userVerified === false ? 0 : 0x04), 0),
      Buffer.alloc(16),
      idLength,
      id,
      coseKey,
    ]);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const credentialId = id.toString('base64url');
    this.#credentials.set(credentialId, { key: privateKey, userHandle: options.user.id, rpID, counter: 0 });
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData('webauthn.create', options.challenge, origin),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** Answers authentication options with a credential it holds (the first, unless named). */
  authenticate(
    options: { challenge: string; rpId?: string },
    origin: string,
    tamper: { credentialId?: string; rpID?: string; counter?: number; userVerified?: boolean } = {},
  ) {
    const credentialId = tamper.credentialId ?? this.#credentials.keys().next().value;
    const credential = credentialId === undefined ? undefined : this.#credentials.get(credentialId);
    if (credentialId === undefined || credential === undefined) throw new Error('no such credential');
    credential.counter = tamper.counter ?? credential.counter + 1;
    const authData = authenticatorData(
      tamper.rpID ?? options.rpId ?? credential.rpID,
      0x01 | (tamper.userVerified === false ? 0 : 0x04),
      credential.counter,
    );
    const clientDataJSON = clientData('webauthn.get', options.challenge, origin);
    const signed = Buffer.concat([
      authData,
      createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest(),
    ]);
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        authenticatorData: authData.toString('base64url'),
        signature: sign('sha256', signed, credential.key).toString('base64url'),
        userHandle: credential.userHandle,
      },
    };
  }

  /** A credential's public key (the bench verifies its signatures raw). */
  publicKeyOf(credentialId: string): KeyObject {
    const credential = this.#credentials.get(credentialId);
    if (credential === undefined) throw new Error('no such credential');
    return createPublicKey(credential.key);
  }

  get credentialIds(): string[] {
    return [...this.#credentials.keys()];
  }
}

function authenticatorData(rpID: string, flags: number, counter: number): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([createHash('sha256').update(rpID).digest(), Buffer.of(flags), count]);
}

function clientData(type: string, challenge: string, origin: string): string {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString('base64url');
}

/** Just enough CBOR (RFC 8949) for attestation objects: integers, byte and text strings, maps. */
export function cbor(value: unknown): Buffer {
  if (typeof value === 'number') {
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.of((major << 5) | n);
  if (n < 0x100) return Buffer.of((major << 5) | 24, n);
  if (n < 0x10000) return Buffer.of((major << 5) | 25, n >> 8, n & 0xff);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

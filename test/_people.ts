import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SoftwareAuthenticator } from '../src/auth/software-authenticator.ts';
import { type CallOptions, type Harness, type Reply, tempDir } from './_util.ts';

/** The origin the in-process harness's WebAuthn ceremonies expect (no MDIS_PUBLIC_URL set). */
export const harnessOrigin = 'http://localhost:7070';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope?: string;
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  extra?: Record<string, string>;
}

export function authorizationUrl(r: AuthorizationRequest): string {
  const params = new URLSearchParams({
    client_id: r.clientId,
    redirect_uri: r.redirectUri,
    response_type: 'code',
    scope: r.scope ?? 'openid',
    state: r.state ?? 'st4te',
    ...(r.codeChallenge === undefined ? {} : { code_challenge: r.codeChallenge }),
    ...(r.codeChallengeMethod === undefined ? {} : { code_challenge_method: r.codeChallengeMethod }),
    ...r.extra,
  });
  return `/oidc/auth?${params}`;
}

/** A PKCE verifier and its S256 challenge. */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A person at a browser: a software passkey and the session cookie the server set. */
export class Person {
  readonly authenticator = new SoftwareAuthenticator();
  /** Every cookie the server set (names are distinct enough that paths can be ignored here). */
  readonly jar = new Map<string, string>();
  csrf: string | undefined;

  get cookie(): string | undefined {
    return this.jar.get('mdis_session');
  }

  readonly h: Harness;
  readonly origin: string;

  constructor(h: Harness, origin = harnessOrigin) {
    this.h = h;
    this.origin = origin;
  }

  /** Registers a first passkey with an activation code; returns the server's answer. */
  async activate(code: string, tamper: { origin?: string; rpID?: string; userVerified?: boolean } = {}) {
    const options = await this.h.call('POST', '/v1/activation/options', { body: { code } });
    assert.equal(options.status, 200, JSON.stringify(options.body));
    const credential = this.authenticator.register(options.body, tamper.origin ?? this.origin, tamper);
    return this.#keep(await this.h.call('POST', '/v1/activation', { body: { code, credential } }));
  }

  /** Signs in with a passkey it holds. */
  async signIn(tamper: Parameters<SoftwareAuthenticator['authenticate']>[2] & { origin?: string } = {}) {
    const { credential } = await this.assertion(tamper);
    return this.signInWith(credential);
  }

  async assertion(tamper: Parameters<SoftwareAuthenticator['authenticate']>[2] & { origin?: string } = {}) {
    const options = await this.h.call('POST', '/v1/session/options');
    assert.equal(options.status, 200);
    return {
      credential: this.authenticator.authenticate(options.body, tamper.origin ?? this.origin, tamper),
    };
  }

  async signInWith(credential: unknown) {
    return this.#keep(await this.h.call('POST', '/v1/session', { body: { credential } }));
  }

  /** A request with the session cookie and, unless told otherwise, its CSRF token. */
  call(method: string, url: string, options: CallOptions & { csrf?: boolean } = {}): Promise<Reply> {
    // The provider builds its URLs from the Host header, as behind a real proxy.
    const headers: Record<string, string> = { host: new URL(this.origin).host, ...options.headers };
    if (this.jar.size > 0) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.csrf !== false && this.csrf !== undefined) headers['x-csrf-token'] = this.csrf;
    return this.h.call(method, url, { ...options, headers }).then((reply) => this.#keep(reply));
  }

  #keep(reply: Reply): Reply {
    const setCookies = [reply.headers['set-cookie'] ?? []].flat() as string[];
    for (const line of setCookies) {
      const [, name, value] = /^([^=]+)=([^;]*)/.exec(line) ?? [];
      if (name === undefined) continue;
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value!);
    }
    if (reply.status === 201 && typeof reply.body?.csrfToken === 'string') this.csrf = reply.body.csrfToken;
    return reply;
  }

  /**
   * A world's sign-in, in the browser: the authorization request, the consent page answered,
   * and the redirect back to the world. Returns the code (or the error) the world receives.
   */
  async signInToWorld(
    request: AuthorizationRequest,
    consent: { avatar?: string; nationality?: boolean } = {},
  ) {
    const started = await this.call('GET', authorizationUrl(request));
    if (started.status !== 303) return { started };
    const location = new URL(String(started.headers.location), this.origin);
    if (!location.pathname.startsWith('/oidc/interaction/')) {
      // Signed in to mdis already with a grant that covers the request: straight back to the world.
      return { started, location, back: location, code: location.searchParams.get('code') ?? undefined };
    }
    const uid = location.pathname.split('/')[3]!;
    const details = await this.call('GET', `/oidc/interaction/${uid}/details`);
    const consented = await this.call('POST', `/oidc/interaction/${uid}/consent`, { body: consent });
    if (consented.status !== 200) return { started, details, consented, uid };
    const resumed = await this.call('GET', new URL(consented.body.redirectTo).pathname);
    const back = new URL(String(resumed.headers.location));
    return {
      started,
      details,
      consented,
      uid,
      resumed,
      back,
      code: back.searchParams.get('code') ?? undefined,
    };
  }
}

/** The redirect URI the tests register for a world's client. */
export const redirectUriOf = (world: string) => `https://${world}.example/callback`;

/**
 * Binds an avatar the way a world does now: the person (activated with the enrolment's code)
 * signs in to the world through mdis and consents. The world's client is (re)registered first.
 */
export async function bindByConsent(
  h: Harness,
  input: { admin: string; world: string; handle: string } & ({ code: string } | { person: Person }),
): Promise<Person> {
  const client = await h.call('PUT', `/v1/worlds/${input.world}/oidc-client`, {
    token: input.admin,
    body: { redirectUris: [redirectUriOf(input.world)] },
  });
  assert.equal(client.status, 200, JSON.stringify(client.body));
  let person: Person;
  if ('person' in input) person = input.person;
  else {
    person = new Person(h);
    const activated = await person.activate(input.code);
    assert.equal(activated.status, 201, JSON.stringify(activated.body));
  }
  const { challenge } = pkce();
  const flow = await person.signInToWorld({
    clientId: input.world,
    redirectUri: redirectUriOf(input.world),
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    extra: { avatar: input.handle },
  });
  assert.ok(flow.code, JSON.stringify(flow.consented?.body ?? flow.started.body));
  return person;
}

/**
 * A copy of the shipped policy with identity.rawAvatarBinding on: for the suites that test the
 * migration-only PUT /v1/worlds/{world}/avatars/{handle} itself.
 */
export function rawBindingPolicyFile(): string {
  const policy = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../policy/default.json'), 'utf8'),
  );
  policy.identity = { rawAvatarBinding: true };
  const file = path.join(tempDir('policy'), 'raw-avatar-binding.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}

import { createHash, randomBytes } from 'node:crypto';
import { SoftwareAuthenticator } from '../auth/software-authenticator.ts';
import type { Answer } from './client.ts';

/**
 * A person's browser for the demo: a software passkey, a cookie jar, and the session's CSRF
 * token; redirects are followed by hand so that each step of a world's sign-in is visible.
 */
export class DemoBrowser {
  readonly authenticator = new SoftwareAuthenticator();
  readonly #jar = new Map<string, string>();
  readonly #base: string;
  readonly #origin: string;
  #csrf: string | undefined;

  /** `base` is where the server is reached, `origin` its public URL (the WebAuthn origin). */
  constructor(base: string, origin: string) {
    this.#base = base;
    this.#origin = origin;
  }

  async call(method: string, path: string, body?: unknown): Promise<Answer & { location?: string }> {
    const headers: Record<string, string> = {};
    if (this.#jar.size > 0) headers.cookie = [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.#csrf !== undefined) headers['x-csrf-token'] = this.#csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = new URL(path, this.#base);
    const response = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of response.headers.getSetCookie()) {
      const [, name, value] = /^([^=]+)=([^;]*)/.exec(line) ?? [];
      if (name === undefined) continue;
      if (value === '' || /max-age=0/i.test(line)) this.#jar.delete(name);
      else this.#jar.set(name, value!);
    }
    const text = await response.text();
    const parsed = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (typeof parsed?.csrfToken === 'string') this.#csrf = parsed.csrfToken;
    const location = response.headers.get('location') ?? undefined;
    return { status: response.status, body: parsed, ...(location === undefined ? {} : { location }) };
  }

  /** Registers a passkey with an activation code (and is signed in). */
  async activate(code: string): Promise<Answer> {
    const options = await this.call('POST', '/v1/activation/options', { code });
    if (options.status !== 200) return options;
    const credential = this.authenticator.register(options.body, this.#origin);
    return this.call('POST', '/v1/activation', { code, credential });
  }

  /** Signs in to mdis with the passkey. */
  async signIn(): Promise<Answer> {
    const options = await this.call('POST', '/v1/session/options');
    if (options.status !== 200) return options;
    const credential = this.authenticator.authenticate(options.body, this.#origin);
    return this.call('POST', '/v1/session', { credential });
  }

  /**
   * Signs in to a world: its authorization request (code flow, PKCE), the consent page answered
   * (the avatar bound), and the redirect back; returns the code and the PKCE verifier for the world.
   */
  async signInToWorld(input: {
    world: string;
    redirectUri: string;
    scope: string;
    avatar: string;
  }): Promise<{ code?: string; verifier: string; consent?: Answer; details?: Answer }> {
    const verifier = randomBytes(32).toString('base64url');
    const params = new URLSearchParams({
      client_id: input.world,
      redirect_uri: input.redirectUri,
      response_type: 'code',
      scope: input.scope,
      state: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      avatar: input.avatar,
    });
    const { back, consent, details } = await this.follow(`/oidc/auth?${params}`);
    const code = back?.searchParams.get('code') ?? undefined;
    return { code, verifier, consent, details };
  }

  /**
   * Follows a world's authorization URL as a browser would, consenting on the way (with `consent`'s
   * answers); returns the URL the browser is sent back to at the world, if it got there.
   */
  async follow(
    authorizationUrl: string,
    consentBody: { avatar?: string; nationality?: boolean } = {},
  ): Promise<{ back?: URL; consent?: Answer; details?: Answer; started: Answer & { location?: string } }> {
    const url = new URL(authorizationUrl, this.#base);
    const started = await this.call('GET', `${url.pathname}${url.search}`);
    const uid = /\/oidc\/interaction\/([^/?]+)/.exec(started.location ?? '')?.[1];
    if (uid === undefined) {
      return { started, ...(started.location === undefined ? {} : { back: new URL(started.location) }) };
    }
    const details = await this.call('GET', `/oidc/interaction/${uid}/details`);
    const consent = await this.call('POST', `/oidc/interaction/${uid}/consent`, consentBody);
    if (consent.status !== 200) return { started, consent, details };
    const resumed = await this.call('GET', new URL(consent.body.redirectTo).pathname);
    return {
      started,
      consent,
      details,
      ...(resumed.location === undefined ? {} : { back: new URL(resumed.location) }),
    };
  }
}

import assert from 'node:assert/strict';
import { SoftwareAuthenticator } from '../src/auth/software-authenticator.ts';
import type { CallOptions, Harness, Reply } from './_util.ts';

/** The origin the in-process harness's WebAuthn ceremonies expect (no MDIS_PUBLIC_URL set). */
export const harnessOrigin = 'http://localhost:7070';

/** A person at a browser: a software passkey and the session cookie the server set. */
export class Person {
  readonly authenticator = new SoftwareAuthenticator();
  cookie: string | undefined;
  csrf: string | undefined;

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
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie !== undefined) headers.cookie = `mdis_session=${this.cookie}`;
    if (options.csrf !== false && this.csrf !== undefined) headers['x-csrf-token'] = this.csrf;
    return this.h.call(method, url, { ...options, headers });
  }

  #keep(reply: Reply): Reply {
    const setCookie = String(reply.headers['set-cookie'] ?? '');
    const value = /^mdis_session=([^;]*)/.exec(setCookie)?.[1];
    if (reply.status === 201 && value) {
      this.cookie = value;
      this.csrf = reply.body.csrfToken;
    }
    return reply;
  }
}

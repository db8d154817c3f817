import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import {
  type Browser,
  browserSuite,
  type ConsoleServer,
  launchBrowser,
  signInWithToken,
  startConsoleServer,
} from './_browser.ts';
import { conductFixture } from './_fixtures.ts';
import { call, type Harness } from './_util.ts';

/**
 * The console's “Download my data” on My record, in Chromium: the saved file is the server's
 * signed export as it came, and it verifies against the key set the server publishes.
 */

browserSuite('the export in the console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let base: string;
  let f: Awaited<ReturnType<typeof conductFixture>>;

  before(async () => {
    // One export at once per person, so that the second click meets the limit.
    server = await startConsoleServer({ config: { exportRateLimit: { perSecond: 1 / 3600, burst: 1 } } });
    base = server.base;
    const { ctx, app } = server;
    const h = {
      token: async (input) => (await ctx.principals.create(input)).token,
      call: (method, url, options) => call(app, method, url, options),
    } as Pick<Harness, 'call' | 'token'>;
    f = await conductFixture(h as Harness);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('Tom downloads his data: the file verifies against the published key; a second at once is refused', async () => {
    const { page, errors } = await signInWithToken(browser, base, f.subject, { home: '/me' });
    await page.getByRole('link', { name: 'My data' }).first().click();

    const button = page.getByRole('button', { name: 'Download my data' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const saved = JSON.parse(fs.readFileSync(String(await download.path()), 'utf8'));
    const day = String(saved.bundle.generatedAt).slice(0, 10);
    assert.equal(download.suggestedFilename(), `mdis-export-${f.tom}-${day}.json`);
    assert.equal(saved.bundle.sub, f.tom);
    assert.deepEqual(
      saved.bundle.avatars.map((a: { handle: string }) => a.handle),
      ['tom'],
    );

    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(saved.jws, createLocalJWKSet(jwks), {
      issuer: saved.bundle.iss,
      subject: f.tom,
      typ: 'mdis-export+jwt',
    });
    assert.deepEqual(payload, saved.bundle);

    // The button is ready again, and a second export at once is refused, said plainly.
    await button.click();
    await page.getByRole('alert').filter({ hasText: 'Too many requests' }).waitFor();
    // The refusal itself is a failed request in the page's console, and only that.
    assert.deepEqual(
      errors.filter((e) => !/Failed to load resource: the server responded with a status of 429/.test(e)),
      [],
    );
    await page.close();
  });
});

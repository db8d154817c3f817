import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { pino } from 'pino';
import { type BrowserContext, chromium } from 'playwright-core';
import { type AppContext, createContext } from '../src/context.ts';
import { buildServer } from '../src/http/server.ts';
import { conductFixture } from './_fixtures.ts';
import { call, type Harness, tempDir, testConfig } from './_util.ts';

/**
 * The console's “Download my data” on My record, in Chromium: the saved file is the server's
 * signed export as it came, and it verifies against the key set the server publishes.
 */

const chromiumPath = process.env.MDIS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');

if (!fs.existsSync(chromiumPath)) {
  test('the export in the console', {
    skip: `SKIPPED: no Chromium at ${chromiumPath}; install it (apt-get install -y chromium) to run the browser tests`,
  }, () => {});
} else {
  describe('the export in the console (Chromium)', { timeout: 120_000 }, defineSuite);
}

function defineSuite(): void {
  let ctx: AppContext;
  let app: FastifyInstance;
  let browser: BrowserContext;
  let base: string;
  let f: Awaited<ReturnType<typeof conductFixture>>;
  const dirs: string[] = [];

  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'console', 'build.ts')], { stdio: 'inherit' });
    const dataDir = tempDir('console-export');
    dirs.push(dataDir);
    // One export at once per person, so that the second click meets the limit.
    const config = testConfig('sqlite', dataDir, { exportRateLimit: { perSecond: 1 / 3600, burst: 1 } });
    ctx = await createContext(config, { logger: pino({ level: 'silent' }) });
    app = await buildServer(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    const h = {
      token: async (input) => (await ctx.principals.create(input)).token,
      call: (method, url, options) => call(app, method, url, options),
    } as Pick<Harness, 'call' | 'token'>;
    f = await conductFixture(h as Harness);
    const profile = tempDir('chromium-profile');
    dirs.push(profile);
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      acceptDownloads: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Tom downloads his data: the file verifies against the published key; a second at once is refused', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(base);
    await page.getByLabel('Token').fill(f.subject);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${base}/me`);
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
    assert.deepEqual(errors, []);
    await page.close();
  });
}

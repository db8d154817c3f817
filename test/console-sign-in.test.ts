import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type AppContext, createContext } from '../src/context.ts';
import { buildServer } from '../src/http/server.ts';
import { authorizationUrl, pkce } from './_people.ts';
import { call, personEnrolment, tempDir, testConfig } from './_util.ts';

/**
 * People sign in as themselves through the console's real pages, in Chromium with a virtual
 * authenticator from the DevTools protocol: activation, passkeys, sign-in, a world's consent page
 * and the avatars screen, at a phone's width and a desktop's.
 */

const chromiumPath = process.env.MDIS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');
const artifacts = path.join(root, 'test-artifacts');
const widths = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

if (!fs.existsSync(chromiumPath)) {
  test('people sign in through the console', {
    skip: `SKIPPED: no Chromium at ${chromiumPath}; install it (apt-get install -y chromium) to run the browser tests`,
  }, () => {});
} else {
  describe(
    'people sign in through the console (Chromium, virtual authenticator)',
    { timeout: 240_000 },
    defineSuite,
  );
}

function defineSuite(): void {
  let ctx: AppContext;
  let app: FastifyInstance;
  let browser: BrowserContext;
  let origin: string;
  let registrar: string;
  let plazaSecret: string;
  const dirs: string[] = [];
  const callback = () => `${origin}/world-callback`;
  const walletCallback = 'https://wallet.example/cb';

  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'console', 'build.ts')], { stdio: 'inherit' });
    fs.mkdirSync(artifacts, { recursive: true });
    const dataDir = tempDir('console-sign-in');
    dirs.push(dataDir);
    ctx = await createContext(testConfig('sqlite', dataDir), { logger: pino({ level: 'silent' }) });
    app = await buildServer(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    // A passkey's RP ID is a host name: people reach this server as localhost, as serve does.
    origin = `http://localhost:${address.port}`;
    ctx.config.publicUrl = origin;
    ctx.config.walletClients = [{ clientId: 'wallet_test', redirectUri: walletCallback }];
    registrar = (await ctx.principals.create({ role: 'registrar' })).token;
    const admin = (await ctx.principals.create({ role: 'admin' })).token;
    const plaza = await call(app, 'POST', '/v1/worlds', {
      token: admin,
      body: { id: 'plaza', name: 'The Plaza', oidc: { redirectUris: [callback()] } },
    });
    assert.equal(plaza.status, 201, JSON.stringify(plaza.body));
    plazaSecret = plaza.body.oidc.clientSecret;

    const profile = tempDir('chromium-profile');
    dirs.push(profile);
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A tab with a virtual platform authenticator (resident keys, user verification). */
  async function tab(viewport: { width: number; height: number }) {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => void dialog.accept());
    const cdp = await browser.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    /** A new device: the authenticator before it is gone (its passkeys with it). */
    let current: string | undefined;
    const newDevice = async () => {
      if (current !== undefined)
        await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: current });
      const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
      current = added.authenticatorId;
    };
    await newDevice();
    return { page, errors, newDevice };
  }

  async function fitsWidth(page: Page, width: number, name: string) {
    await page.screenshot({ path: path.join(artifacts, `sign-in-${name}-${width}.png`), fullPage: true });
    const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(scroll <= width, `${name}: the page is ${scroll} px wide at ${width} px`);
  }

  for (const viewport of widths) {
    test(`at ${viewport.width} px: activate, manage passkeys, sign in again, consent to a world, end the binding`, async () => {
      const enrolled = await call(app, 'POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
      assert.equal(enrolled.status, 201);
      const { page, errors, newDevice } = await tab(viewport);

      // Activation: the link from the registrar, a passkey created on this device.
      await page.goto(enrolled.body.activation.link);
      await fitsWidth(page, viewport.width, `activate-${viewport.name}`);
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.waitForURL(`${origin}/me`);

      // Passkeys: a second one added on a new device, the first removed, the last one kept.
      await page.goto(`${origin}/me/passkeys`);
      await newDevice();
      await page.getByLabel('Name of the new passkey').fill('spare');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('button', { name: 'Remove spare' }).waitFor();
      await page.getByRole('button', { name: 'Remove first passkey' }).click();
      await page.getByRole('button', { name: 'Remove first passkey' }).waitFor({ state: 'detached' });
      assert.equal(await page.getByRole('button', { name: 'Remove spare' }).isDisabled(), true);
      await fitsWidth(page, viewport.width, `passkeys-${viewport.name}`);

      // Signed out, then in again with the remaining passkey.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(`${origin}/me`);

      // A world's sign-in: consent page, the handle typed, nationality ticked.
      const { verifier, challenge } = pkce();
      const handle = `tom-${viewport.width}`;
      await page.goto(
        origin +
          authorizationUrl({
            clientId: 'plaza',
            redirectUri: callback(),
            scope: 'openid age nationality standing',
            codeChallenge: challenge,
            codeChallengeMethod: 'S256',
          }),
      );
      await page.getByRole('heading', { name: 'Sign in to The Plaza' }).waitFor();
      for (const claim of ['whether you are over 18', 'your standing in this world']) {
        assert.ok(await page.getByText(claim, { exact: false }).first().isVisible(), claim);
      }
      await fitsWidth(page, viewport.width, `consent-${viewport.name}`);
      await page.getByLabel('Your avatar in The Plaza').fill(handle);
      await page.getByLabel('your nationality', { exact: false }).check();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(/\/world-callback\?code=/);
      const code = new URL(page.url()).searchParams.get('code')!;
      const tokens = await call(app, 'POST', '/oidc/token', {
        rawBody: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: callback(),
          code_verifier: verifier,
        }).toString(),
        headers: {
          host: new URL(origin).host,
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`plaza:${plazaSecret}`).toString('base64')}`,
        },
      });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const claims = JSON.parse(Buffer.from(tokens.body.id_token.split('.')[1], 'base64url').toString());
      assert.equal(claims.nationality, 'GB');
      assert.equal(claims.age_over_18, true);

      // The avatars screen: the binding, ended.
      await page.goto(`${origin}/me/avatars`);
      await page.getByText(`known there as`).first().waitFor();
      await fitsWidth(page, viewport.width, `avatars-${viewport.name}`);
      await page.getByRole('button', { name: `End binding of ${handle}` }).click();
      await page.getByText('No avatar is bound to you.').waitFor();
      const standing = await ctx.avatars.subjectOf('plaza', handle);
      assert.equal(standing, undefined);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
  test('a wallet’s consent page names the credentials and binds nothing; Allow sends the wallet its code', async () => {
    const enrolled = await call(app, 'POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
    assert.equal(enrolled.status, 201);
    const viewport = widths[0]!;
    const { page, errors } = await tab(viewport);
    await page.goto(enrolled.body.activation.link);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${origin}/me`);
    await page.goto(
      origin +
        authorizationUrl({
          clientId: 'wallet_test',
          redirectUri: walletCallback,
          scope: 'mdis_identity',
          codeChallenge: pkce().challenge,
          codeChallengeMethod: 'S256',
        }),
    );
    await page.getByRole('heading', { name: 'A wallet asks for your credentials' }).waitFor();
    assert.ok(await page.getByText('mdis identity: Legal name', { exact: false }).isVisible());
    assert.equal(await page.getByLabel('Your avatar', { exact: false }).count(), 0);
    await fitsWidth(page, viewport.width, 'wallet-consent-phone');
    // The browser is sent on to the wallet's redirect URI with the code (a host that resolves nowhere here).
    const sent = page.waitForRequest((request) => request.url().startsWith(`${walletCallback}?code=`));
    await page.getByRole('button', { name: 'Allow' }).click();
    await sent;
    assert.deepEqual(await ctx.avatars.avatarsOf(enrolled.body.id), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('lock my identity on My record: a world is refused; unlock with the passkey: signed in again', async () => {
    const enrolled = await call(app, 'POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
    assert.equal(enrolled.status, 201);
    const viewport = widths[0]!;
    const { page, errors } = await tab(viewport);
    await page.goto(enrolled.body.activation.link);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${origin}/me`);

    await page.goto(`${origin}/me/data`);
    await page.getByRole('button', { name: 'Lock my identity' }).click();
    await page.getByRole('heading', { name: 'My identity is locked' }).waitFor();
    assert.ok(await page.getByText('A lock does not hide you', { exact: false }).isVisible());
    assert.notEqual(await ctx.locks.lockedSince(enrolled.body.id), undefined);
    await fitsWidth(page, viewport.width, 'locked-phone');

    const worldSignIn = () =>
      page.goto(
        origin +
          authorizationUrl({
            clientId: 'plaza',
            redirectUri: callback(),
            scope: 'openid standing',
            codeChallenge: pkce().challenge,
            codeChallengeMethod: 'S256',
            extra: { avatar: 'locked-tom' },
          }),
      );
    await worldSignIn();
    await page.getByText('You locked your identity', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Continue: The Plaza is refused' }).click();
    await page.waitForURL(/\/world-callback\?error=access_denied/);
    assert.equal(await ctx.avatars.subjectOf('plaza', 'locked-tom'), undefined);

    await page.goto(`${origin}/me/data`);
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    await page.getByRole('heading', { name: 'Lock my identity' }).waitFor();
    assert.equal(await ctx.locks.lockedSince(enrolled.body.id), undefined);
    await worldSignIn();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/world-callback\?code=/);
    assert.equal(await ctx.avatars.subjectOf('plaza', 'locked-tom'), enrolled.body.id);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

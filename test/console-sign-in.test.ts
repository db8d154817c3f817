import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  browserSuite,
  type ConsoleServer,
  launchBrowser,
  openTab,
  pageErrors,
  screenshot,
  startConsoleServer,
  type ViewportName,
  viewports,
} from './_browser.ts';
import { authorizationUrl, pkce } from './_people.ts';
import { call, personEnrolment } from './_util.ts';

/**
 * People sign in as themselves through the console's real pages, in Chromium with a virtual
 * authenticator from the DevTools protocol: activation, passkeys, sign-in, a world's consent page
 * and the avatars screen, at a phone's width and a desktop's.
 */

const widths = (['phone', 'desktop'] as ViewportName[]).map((name) => ({ name, ...viewports[name] }));

browserSuite('people sign in through the console (Chromium, virtual authenticator)', defineSuite, 240_000);

function defineSuite(): void {
  let server: ConsoleServer;
  let browser: Browser;
  let origin: string;
  let registrar: string;
  let plazaSecret: string;
  const callback = () => `${origin}/world-callback`;
  const walletCallback = 'https://wallet.example/cb';

  before(async () => {
    server = await startConsoleServer({
      config: { walletClients: [{ clientId: 'wallet_test', redirectUri: walletCallback }] },
    });
    const { ctx, app } = server;
    // A passkey's RP ID is a host name: people reach this server as localhost, as serve does.
    origin = `http://localhost:${new URL(server.base).port}`;
    ctx.config.publicUrl = origin;
    registrar = (await ctx.principals.create({ role: 'registrar' })).token;
    const admin = (await ctx.principals.create({ role: 'admin' })).token;
    const plaza = await call(app, 'POST', '/v1/worlds', {
      token: admin,
      body: { id: 'plaza', name: 'The Plaza', oidc: { redirectUris: [callback()] } },
    });
    assert.equal(plaza.status, 201, JSON.stringify(plaza.body));
    plazaSecret = plaza.body.oidc.clientSecret;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A tab with a virtual platform authenticator (resident keys, user verification). */
  async function tab(viewport: ViewportName) {
    await browser.context.clearCookies();
    const opened = await openTab(browser, viewport);
    const { page } = opened;
    page.on('dialog', (dialog) => void dialog.accept());
    const cdp = await browser.context.newCDPSession(page);
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
    return { ...opened, newDevice };
  }

  /** A person enrolled by the registrar, not yet activated. */
  async function enrol() {
    const enrolled = await call(server.app, 'POST', '/v1/subjects', {
      token: registrar,
      body: personEnrolment(),
    });
    assert.equal(enrolled.status, 201);
    return enrolled;
  }

  async function fitsWidth(page: Page, width: number, name: string) {
    await screenshot(page, `sign-in-${name}`);
    const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
    assert.ok(scroll <= width, `${name}: the page is ${scroll} px wide at ${width} px`);
  }

  for (const viewport of widths) {
    test(`at ${viewport.width} px: activate, manage passkeys, sign in again, consent to a world, end the binding`, async () => {
      const enrolled = await enrol();
      const opened = await tab(viewport.name);
      const { page, newDevice } = opened;

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
      const tokens = await call(server.app, 'POST', '/oidc/token', {
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
      const standing = await server.ctx.avatars.subjectOf('plaza', handle);
      assert.equal(standing, undefined);
      assert.deepEqual(pageErrors(opened), []);
      await page.close();
    });
  }
  test('a wallet’s consent page names the credentials and binds nothing; Allow sends the wallet its code', async () => {
    const enrolled = await enrol();
    const viewport = widths[0]!;
    const opened = await tab(viewport.name);
    const { page } = opened;
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
    assert.deepEqual(await server.ctx.avatars.avatarsOf(enrolled.body.id), []);
    assert.deepEqual(pageErrors(opened), []);
    await page.close();
  });

  test('lock my identity on My record: a world is refused; unlock with the passkey: signed in again', async () => {
    const enrolled = await enrol();
    const viewport = widths[0]!;
    const opened = await tab(viewport.name);
    const { page } = opened;
    await page.goto(enrolled.body.activation.link);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(`${origin}/me`);

    await page.goto(`${origin}/me/data`);
    await page.getByRole('button', { name: 'Lock my identity' }).click();
    await page.getByRole('heading', { name: 'My identity is locked' }).waitFor();
    assert.ok(await page.getByText('A lock does not hide you', { exact: false }).isVisible());
    assert.notEqual(await server.ctx.locks.lockedSince(enrolled.body.id), undefined);
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
    assert.equal(await server.ctx.avatars.subjectOf('plaza', 'locked-tom'), undefined);

    await page.goto(`${origin}/me/data`);
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    await page.getByRole('heading', { name: 'Lock my identity' }).waitFor();
    assert.equal(await server.ctx.locks.lockedSince(enrolled.body.id), undefined);
    await worldSignIn();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/world-callback\?code=/);
    assert.equal(await server.ctx.avatars.subjectOf('plaza', 'locked-tom'), enrolled.body.id);
    assert.deepEqual(pageErrors(opened), []);
    await page.close();
  });
}

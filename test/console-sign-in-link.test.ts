import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertAccessible,
  type Browser,
  browserSuite,
  type ConsoleServer,
  launchBrowser,
  openTab,
  screenshot,
  startConsoleServer,
  type ViewportName,
} from './_browser.ts';

// The links `npm start` prints (`http://localhost:<port>/#token=<token>`): opened, they sign in
// as that role and leave the token neither in the address bar nor in the history; a link or a
// typed token the API refuses is said to be not valid, not "no longer accepted".

/** Chromium logs the refused token's 401 as a console error: that one is expected, no other. */
function notTheRefusal(error: string): boolean {
  return !error.includes('the server responded with a status of 401');
}

browserSuite('sign-in links and refused tokens in the console', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let origin = '';
  let auditor = '';

  before(async () => {
    server = await startConsoleServer();
    // People reach it as localhost, as `mdis serve` prints its links.
    origin = server.base.replace('127.0.0.1', 'localhost');
    server.ctx.config.publicUrl = origin;
    auditor = (await server.ctx.principals.create({ role: 'auditor', name: 'Ada Auditor' })).token;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const viewport of ['phone', 'desktop'] as ViewportName[]) {
    test(`a printed link signs in as its role and the token leaves the URL (${viewport})`, async () => {
      const tab = await openTab(browser, viewport);
      const { page } = tab;
      await page.goto(`${origin}/#token=${auditor}`);
      // Whose the link is comes first: nothing is done as them until the person says so.
      await page.getByRole('heading', { name: 'Sign in from a link' }).waitFor();
      assert.match(
        String(await page.locator('main').textContent()),
        /signs you in as Ada Auditor \(auditor\)/,
      );
      assert.ok(!page.url().includes(auditor) && !page.url().includes('#'), page.url());
      await screenshot(page, 'sign-in-link-whose');
      await assertAccessible(page, `the sign-in link's question (${viewport})`);
      await page.getByRole('button', { name: 'Sign in as Ada Auditor' }).click();
      await page.locator('.who .role').filter({ hasText: 'auditor' }).waitFor();
      assert.ok(!page.url().includes(auditor) && !page.url().includes('#'), page.url());
      // The entry the link opened was replaced: back is the new tab's blank page, not the link.
      await page.goBack();
      assert.equal(page.url(), 'about:blank');
      await page.goForward();
      await page.locator('.who .role').filter({ hasText: 'auditor' }).waitFor();
      assert.ok(!page.url().includes(auditor), page.url());
      await screenshot(page, 'sign-in-link');
      await assertAccessible(page, `the auditor's home after a sign-in link (${viewport})`);
      // The tab keeps the sign-in (sessionStorage) across a reload, with no link.
      await page.reload();
      await page.locator('.who .role').filter({ hasText: 'auditor' }).waitFor();
      assert.deepEqual(tab.errors, []);
      await page.close();
    });

    test(`a link declined leaves the tab as it was: not signed in as its owner (${viewport})`, async () => {
      const tab = await openTab(browser, viewport);
      const { page } = tab;
      const moderator = (await server.ctx.principals.create({ role: 'moderator', name: 'Mo Derator' })).token;
      await page.goto(`${origin}/#token=${moderator}`);
      await page.getByRole('button', { name: 'Sign in as Mo Derator' }).click();
      await page.locator('.who .role').filter({ hasText: 'moderator' }).waitFor();
      // A link someone sent: declined, the tab keeps its own sign-in and forgets the link.
      await page.goto(`${origin}/#token=${auditor}`);
      await page.getByRole('button', { name: 'Not now' }).click();
      await page.locator('.who .role').filter({ hasText: 'moderator' }).waitFor();
      await page.reload();
      await page.locator('.who .role').filter({ hasText: 'moderator' }).waitFor();
      assert.ok(!page.url().includes(auditor), page.url());
      assert.deepEqual(tab.errors, []);
      await page.close();
    });

    test(`a link with a wrong token says the token is not valid (${viewport})`, async () => {
      const tab = await openTab(browser, viewport);
      const { page } = tab;
      const wrong = 'mdis_this_token_was_never_made';
      await page.goto(`${origin}/#token=${wrong}`);
      await page.getByText('The token in that sign-in link is not valid').waitFor();
      assert.ok(!page.url().includes(wrong), page.url());
      assert.doesNotMatch(String(await page.locator('main').textContent()), /no longer accepts/);
      await screenshot(page, 'sign-in-link-refused');
      await assertAccessible(page, `the sign-in page after a refused link (${viewport})`);
      assert.deepEqual(tab.errors.filter(notTheRefusal), []);
      await page.close();
    });

    test(`a wrong token typed by keyboard alone is said to be not valid (${viewport})`, async () => {
      const tab = await openTab(browser, viewport);
      const { page } = tab;
      await page.goto(origin);
      await page.getByLabel('Token').waitFor();
      // Tab to the token field, as someone without a mouse would.
      for (let presses = 0; presses < 20; presses++) {
        await page.keyboard.press('Tab');
        const name = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { name?: string } } }).document
              .activeElement.name,
        );
        if (name === 'token') break;
      }
      await page.keyboard.type('mdis_not_a_real_token');
      await page.keyboard.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(String(await alert.textContent()), /^That token is not valid\./);
      assert.doesNotMatch(String(await page.locator('main').textContent()), /no longer accepts/);
      await screenshot(page, 'sign-in-token-refused');
      await assertAccessible(page, `the sign-in page after a refused token (${viewport})`);
      assert.deepEqual(tab.errors.filter(notTheRefusal), []);
      await page.close();
    });
  }
});

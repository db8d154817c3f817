import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertAccessible,
  type Browser,
  browserSuite,
  type ConsoleServer,
  harnessOf,
  launchBrowser,
  openFromMenu,
  screenshot,
  signInWithToken,
  startConsoleServer,
  type ViewportName,
  viewports,
} from './_browser.ts';
import { conductFixture, upheldAtWorst } from './_fixtures.ts';

// A service's check of a person who is banned in the worlds and at grade D: the API answers
// "grade" (a world's ban does not deny a flight, and a service is not told of it), and the
// console says what that means instead of the bare word.

browserSuite('a denial by grade, explained (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let f: Awaited<ReturnType<typeof conductFixture>>;

  before(async () => {
    server = await startConsoleServer();
    const h = harnessOf(server);
    f = await conductFixture(h);
    await upheldAtWorst(h, f, 'tom', ['fraud', 'fraud', 'identity_theft']);
    const banned = await h.call('POST', '/v1/sanctions', {
      token: f.moderator,
      body: { subject: f.tom, kind: 'ban', reason: 'Scams in every world' },
    });
    assert.equal(banned.status, 201, JSON.stringify(banned.body));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const viewport of Object.keys(viewports) as ViewportName[]) {
    test(`at ${viewports[viewport].width} px: "grade" is said in words`, async () => {
      const tab = await signInWithToken(browser, server.base, f.airline, { home: '/eligibility', viewport });
      const { page } = tab;
      await openFromMenu(page, 'Eligibility');
      await page.getByLabel('Digital ID or pseudonym').fill(f.tom);
      await page.getByLabel('Action').selectOption('travel.air');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      const verdict = page.getByRole('status');
      await verdict.getByText('Denied: credit grade').waitFor();
      await verdict
        .getByText(
          'No sanction denies this action: the person’s credit grade is one the policy denies it at.',
        )
        .waitFor();
      assert.doesNotMatch((await verdict.textContent()) ?? '', /banned|snc_/, 'the ban is not the airline’s');
      await assertAccessible(page, `eligibility by grade at ${viewport}`);
      await screenshot(page, 'service-eligibility-grade');
      assert.deepEqual(tab.errors, []);
      await page.close();
    });
  }
});

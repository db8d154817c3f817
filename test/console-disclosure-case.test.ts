import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dayMs } from '../src/util/time.ts';
import {
  assertAccessible,
  type Browser,
  browserSuite,
  type ConsoleServer,
  launchBrowser,
  openFromMenu,
  screenshot,
  signInWithToken,
  startConsoleServer,
  type ViewportName,
  viewports,
} from './_browser.ts';
import { call, personEnrolment, rowsIn } from './_util.ts';

// An authority's request without the case its offence requires: the API's sentence at the Case
// field, said once, with no code trailing it and no box repeating it below the form.

browserSuite('a disclosure request without its case (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let authority: string;
  let tom: string;

  before(async () => {
    server = await startConsoleServer();
    const registrar = (await server.ctx.principals.create({ role: 'registrar' })).token;
    authority = (
      await server.ctx.principals.create({ role: 'authority', jurisdiction: 'GB', name: 'DC Holmes' })
    ).token;
    const enrolled = await call(server.app, 'POST', '/v1/subjects', {
      token: registrar,
      body: personEnrolment(),
    });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    tom = enrolled.body.id;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const disclosures = () => rowsIn(server.ctx.db, 'disclosures');

  for (const viewport of Object.keys(viewports) as ViewportName[]) {
    test(`at ${viewports[viewport].width} px: the missing case is said at the Case field`, async () => {
      const before = await disclosures();
      const tab = await signInWithToken(browser, server.base, authority, { home: '/disclosures', viewport });
      const { page } = tab;
      await openFromMenu(page, 'New request');
      await page.getByRole('heading', { name: 'New disclosure request' }).waitFor();
      await page.getByLabel('A digital ID').check();
      await page.getByLabel('Digital ID', { exact: true }).fill(tom);
      const offence = page.getByLabel('Offence');
      await offence.locator('option', { hasText: 'Harassment' }).waitFor({ state: 'attached' });
      await offence.selectOption({ label: 'Harassment' });
      await page.getByLabel('Reference').fill(`W-2026-${viewport}`);
      await page.getByLabel('Issued by').fill('Westminster Magistrates');
      await page
        .getByLabel('Valid until')
        .fill(new Date(Date.now() + 365 * dayMs).toISOString().slice(0, 16));
      await page.getByLabel('Purpose').fill('Identify who sent the threats in the plaza');
      await page.getByRole('button', { name: 'File the request' }).click();

      const error = page.locator('#new-disclosure-case-error');
      await error.waitFor();
      assert.equal(await error.textContent(), 'A disclosure for harassment must name the case it concerns.');
      const caseField = page.getByRole('textbox', { name: /^Case/ });
      assert.equal(await caseField.getAttribute('aria-invalid'), 'true');
      assert.equal(await caseField.getAttribute('aria-describedby'), 'new-disclosure-case-error');
      assert.equal(await page.getByRole('alert').count(), 0, 'no box repeats it below the form');
      assert.equal(await page.getByText('case required').count(), 0, 'no code trails the sentence');
      assert.equal(await disclosures(), before, 'a refused request files nothing');
      await assertAccessible(page, `new-disclosure-no-case at ${viewport}`);
      await screenshot(page, 'new-disclosure-no-case');
      assert.deepEqual(tab.errors, [
        'console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
      ]);
      await page.close();
    });
  }
});

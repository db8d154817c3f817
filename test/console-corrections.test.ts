import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  browserSuite,
  type ConsoleServer,
  launchBrowser,
  signInWithToken,
  startConsoleServer,
  type Tab,
} from './_browser.ts';
import { call, personEnrolment } from './_util.ts';

/**
 * Issue 15 in the console, in Chromium: the person reads its profile and proposes a correction
 * with a reason; a registrar reviews it in the corrections queue and accepts it; another is
 * refused with a reason; the person sees the new value and each outcome.
 */

browserSuite('corrections in the console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let app: ConsoleServer['app'];
  let subject: string;
  let person: string;
  let registrar: string;
  const tabs: Tab[] = [];

  before(async () => {
    server = await startConsoleServer();
    app = server.app;
    registrar = (await server.ctx.principals.create({ role: 'registrar', name: 'Registrar' })).token;
    const enrolled = await call(app, 'POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
    assert.equal(enrolled.status, 201);
    subject = enrolled.body.id;
    person = (await server.ctx.principals.create({ role: 'subject', subject })).token;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A tab of its own, signed in; its page errors are checked at the end. */
  async function signIn(token: string, home: string): Promise<Page> {
    const tab = await signInWithToken(browser, server.base, token, { home });
    tabs.push(tab);
    return tab.page;
  }

  test('the person proposes, the registrar accepts one and refuses another, the person sees both', async () => {
    const me = await signIn(person, '/me');
    await me.getByRole('link', { name: 'My profile' }).click();
    await me.getByRole('heading', { name: 'My profile' }).waitFor();
    await me.locator('.facts dd', { hasText: 'Thomas Example' }).waitFor();
    await me.getByRole('button', { name: 'Propose a correction of Legal name' }).click();
    const form = me.getByRole('form', { name: 'Correction of Legal name' });
    await form.getByLabel('New value').fill('Thomasina Example');
    await form.getByLabel('Why the recorded value is wrong').fill('Misspelt at enrolment');
    await form.getByRole('button', { name: 'Propose the correction' }).click();
    const mine = me.getByRole('table', { name: 'My corrections' });
    await mine.locator('tr', { hasText: 'Legal name' }).locator('td', { hasText: 'pending' }).waitFor();

    // A second one, refused below.
    await me.getByRole('button', { name: 'Propose a correction of Occupation' }).click();
    const second = me.getByRole('form', { name: 'Correction of Occupation' });
    await second.getByLabel('New value').fill('Sculptor');
    await second.getByLabel('Why the recorded value is wrong').fill('I changed trade');
    await second.getByRole('button', { name: 'Propose the correction' }).click();
    await mine.locator('tr', { hasText: 'Occupation' }).waitFor();

    const staff = await signIn(registrar, '/enrol');
    await staff.getByRole('link', { name: 'Corrections' }).click();
    await staff.getByRole('button', { name: `Review Legal name of ${subject}` }).click();
    const review = staff.getByRole('region', { name: 'Correction under review' });
    await review.locator('dd', { hasText: 'Thomasina Example' }).waitFor();
    await review.locator('dd', { hasText: 'Misspelt at enrolment' }).waitFor();
    await review.getByRole('button', { name: 'Accept' }).click();
    await review.waitFor({ state: 'detached' });

    await staff.getByRole('button', { name: `Review Occupation of ${subject}` }).click();
    await review.locator('dd', { hasText: 'Sculptor' }).waitFor();
    await review.getByRole('button', { name: 'Refuse…' }).click();
    await review.getByLabel('Why it is refused (the person sees this)').fill('Show your trade licence');
    await review.getByRole('button', { name: 'Refuse the correction' }).click();
    await staff.getByText('No correction is waiting.').waitFor();

    await me.reload();
    await me.locator('.facts dd', { hasText: 'Thomasina Example' }).waitFor();
    await mine.locator('tr', { hasText: 'Legal name' }).locator('td', { hasText: 'accepted' }).waitFor();
    await mine
      .locator('tr', { hasText: 'Occupation' })
      .locator('td', { hasText: 'Show your trade licence' })
      .waitFor();
    // The registrar's reviews are reads of the person's profile, shown to the person.
    const reads = await call(app, 'GET', '/v1/me/access?list=reads', { token: person });
    assert.deepEqual(
      reads.body.reads.items.map((r: { purpose: string }) => r.purpose),
      ['correction', 'correction'],
    );
    assert.deepEqual(
      tabs.flatMap((tab) => tab.errors),
      [],
      'the pages logged errors',
    );
  });
});

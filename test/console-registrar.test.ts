import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
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
import { call, rowsIn } from './_util.ts';

/**
 * Issue 17, the registrar's console in Chromium at 390 and 1280 px: enrol a person by keyboard
 * alone, a refused field shown at that field with nothing created, the duplicate answer with the
 * existing ID, finding the subject and its history after an attribute change, a recovery
 * activation code, and the corrections queue; each screen checked by axe-core and kept as a
 * screenshot.
 */

/** The name of the control that has the focus (a string to evaluate: the tests have no DOM types). */
const focusedName = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.name');

/** Tab (and only Tab) until the control named `name` has the focus, in at most `most` presses. */
async function tabTo(page: Page, name: string, most = 3): Promise<void> {
  for (let presses = 0; presses < most; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)) === name) return;
  }
  assert.fail(`${most} presses of Tab did not reach the control ${name}`);
}

/** A person typed into the enrolment form by keyboard alone, with a birth date that does not exist. */
async function typePersonByKeyboard(page: Page, documentNumber: string): Promise<void> {
  await tabTo(page, 'natural.legalName', 30); // through the menu first; then each field follows the last

  await page.keyboard.type('Amina Okafor');
  await tabTo(page, 'natural.birthDate');
  await page.keyboard.type('1990-02-30'); // no 30 February: the API refuses it
  await tabTo(page, 'natural.sex');
  await page.keyboard.press('F');
  await tabTo(page, 'natural.nationality');
  await page.keyboard.type('ng');
  await tabTo(page, 'natural.document.type');
  await page.keyboard.press('P');
  await tabTo(page, 'natural.document.number');
  await page.keyboard.type(documentNumber);
  await tabTo(page, 'natural.document.issuingCountry');
  await page.keyboard.type('ng');
}

/** Every check a screen gets: no wider than the viewport, axe-core, a screenshot. */
async function checkScreen(page: Page, name: string): Promise<void> {
  const widths = await page.evaluate<number[]>('[document.documentElement.scrollWidth, window.innerWidth]');
  assert.ok(widths[0]! <= widths[1]!, `${name} is ${widths[0]} px wide in a ${widths[1]} px window`);
  await assertAccessible(page, `${name} at ${widths[1]} px`);
  await screenshot(page, name);
}

browserSuite('the registrar’s console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let registrar: string;

  before(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    registrar = (await server.ctx.principals.create({ role: 'registrar', name: 'Civil registry desk' }))
      .token;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const subjects = () => rowsIn(server.ctx.db, 'subjects');

  for (const viewport of Object.keys(viewports) as ViewportName[]) {
    const width = viewports[viewport].width;
    test(`at ${width} px: enrol by keyboard, a refused field, the duplicate, history, an activation code`, async () => {
      const tab = await signInWithToken(browser, server.base, registrar, { home: '/enrol', viewport });
      const { page } = tab;
      await page.getByRole('heading', { name: 'Enrol a subject' }).waitFor();
      await checkScreen(page, 'registrar-enrol');
      const id = await enrolByKeyboard(page, `NG${width}A77`);
      await findWithHistory(page, id);
      await issueActivationCode(page, id);
      await correctionsQueue(page, id);
      await organisationMissingField(page);
      await everyProblemAtOnce(page);
      // Chromium logs each answer that is not a success: the refusals and the duplicate provoked above.
      assert.deepEqual(
        tab.errors,
        [
          'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
          'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
          'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
          'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
          'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
          'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
        ],
        'the pages logged errors',
      );
      await page.close();
    });
  }

  async function enrolByKeyboard(page: Page, documentNumber: string): Promise<string> {
    const before = await subjects();
    await typePersonByKeyboard(page, documentNumber);
    await page.keyboard.press('Enter');

    // The refusal is at the field it names, which has the focus; nothing was created.
    const birthDate = page.getByLabel('Birth date');
    await page.locator('.field-error').waitFor();
    assert.equal(await birthDate.getAttribute('aria-invalid'), 'true');
    const error = page.locator('#enrol-natural-birthDate-error');
    assert.equal(await error.textContent(), 'Birth date must be a real date, written YYYY-MM-DD.');
    assert.match(String(await birthDate.getAttribute('aria-describedby')), /enrol-natural-birthDate-error/);
    assert.equal(await focusedName(page), 'natural.birthDate');
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 1, 'only the refused field is marked');
    assert.equal(await subjects(), before, 'a refused enrolment creates nothing');
    await checkScreen(page, 'registrar-enrol-refused');

    // Corrected where the focus already is, and sent with Enter.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('1990-04-01');
    await page.keyboard.press('Enter');
    const done = page.getByRole('status', { name: 'Enrolled' });
    await done.waitFor();
    const id = String(await done.locator('.digital-id').textContent());
    assert.match(id, /\S{8,}/);
    assert.equal(await subjects(), before + 1);
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
    assert.ok(
      ((await done.locator('.activation code').textContent()) ?? '').length > 0,
      'its activation code',
    );
    const stored = await call(server.app, 'GET', `/v1/subjects/${id}?purpose=audit`, { token: registrar });
    assert.equal(stored.body.natural.legalName, 'Amina Okafor');
    assert.equal(stored.body.natural.nationality, 'NG');
    assert.equal(stored.body.natural.sex, 'F');
    assert.equal(stored.body.natural.document.type, 'passport');
    await checkScreen(page, 'registrar-enrolled');

    // The same document again: the answer names the ID it already has.
    await page.keyboard.press('Enter');
    const duplicate = page.getByRole('alert').filter({ hasText: 'Already enrolled' });
    await duplicate.waitFor();
    assert.equal(await duplicate.locator('.digital-id').textContent(), id);
    assert.equal(await subjects(), before + 1, 'a duplicate creates nothing');
    await checkScreen(page, 'registrar-enrol-duplicate');
    await duplicate.getByRole('link', { name: 'Find it' }).click();
    return id;
  }

  async function findWithHistory(page: Page, id: string): Promise<void> {
    await page.getByRole('heading', { name: 'Find a subject' }).waitFor();
    assert.equal(await page.getByLabel('Digital ID').inputValue(), id, 'the ID is carried over');
    await page.getByLabel('Purpose').locator('option', { hasText: 'support' }).waitFor({ state: 'attached' });
    await page.getByLabel('Purpose').selectOption('support');
    await page.getByLabel('With the attribute history').check();
    await page.getByRole('button', { name: 'Read (logged)' }).click();
    await page.locator('.facts dt', { hasText: 'Legal name' }).first().waitFor();
    await page.locator('.facts dd', { hasText: 'Amina Okafor' }).waitFor();
    await page.getByRole('heading', { name: /Natural characteristics/ }).waitFor();
    await checkScreen(page, 'registrar-subject');

    const change = page.getByRole('form', { name: 'Add an attribute version' });
    // A birth date in the future is refused at the value, and adds no version.
    await change.getByLabel('Attribute').selectOption({ label: 'Birth date' });
    await change.getByLabel('New value').fill('2999-01-01');
    await change.getByRole('button', { name: 'Add the version' }).click();
    await change.locator('.field-error', { hasText: 'Birth date is in the future.' }).waitFor();
    assert.equal(await change.getByLabel('New value').getAttribute('aria-invalid'), 'true');
    const unchanged = await call(server.app, 'GET', `/v1/subjects/${id}?purpose=audit`, { token: registrar });
    assert.equal(unchanged.body.versions.natural, 1);
    await change.getByLabel('Attribute').selectOption({ label: 'Legal name' });
    await change.getByLabel('New value').fill('Amina N. Okafor');
    await change.getByRole('button', { name: 'Add the version' }).click();
    await change
      .getByRole('status')
      .filter({ hasText: 'Natural characteristics is now version 2' })
      .waitFor();
    await change.getByRole('button', { name: 'Read the profile again (logged)' }).click();
    const history = page.getByRole('table', { name: 'Attribute history' });
    const row = history.locator('tr', { hasText: 'Legal name: Amina Okafor → Amina N. Okafor' });
    await row.waitFor();
    assert.equal(await row.locator('td[data-label="By"]').textContent(), 'you');
    assert.equal(await row.locator('td[data-label="Version"]').textContent(), '2');
    const social = history.locator('tr', { hasText: 'Social characteristics' });
    assert.equal(await social.locator('td[data-label="What changed"]').textContent(), 'nothing recorded');
    await checkScreen(page, 'registrar-history');
  }

  async function issueActivationCode(page: Page, id: string): Promise<void> {
    await page.getByRole('link', { name: 'Issue a recovery activation code' }).click();
    await page.getByRole('heading', { name: 'Activation codes' }).waitFor();
    const digitalId = page.getByLabel('Digital ID');
    assert.equal(await digitalId.inputValue(), id);
    await page.getByLabel('I have checked the person’s identity document again').check();
    // One character mistyped: the check character catches it, and the refusal is at the field.
    const mistyped = id.slice(0, 5) + (id[5] === 'A' ? 'B' : 'A') + id.slice(6);
    await digitalId.fill(mistyped);
    await page.getByRole('button', { name: 'Issue a recovery code' }).click();
    await page.locator('#activation-id-error').waitFor();
    assert.equal(
      await page.locator('#activation-id-error').textContent(),
      'Digital ID is not a well-formed digital ID.',
    );
    assert.equal(await digitalId.getAttribute('aria-invalid'), 'true');
    await digitalId.fill(id);
    await page.getByRole('button', { name: 'Issue a recovery code' }).click();
    const issued = page.getByRole('status', { name: 'Issued code' });
    await issued.waitFor();
    const code = String(await issued.locator('.activation code').textContent());
    assert.ok(code.length >= 8, `a code: ${code}`);
    assert.match(String(await issued.locator('.activation p').textContent()), /until .*\d/);
    assert.ok(String(await issued.getByRole('link').getAttribute('href')).includes(encodeURIComponent(code)));
    await checkScreen(page, 'registrar-activation');
    await issued.getByRole('button', { name: 'Done: hide the code' }).click();
    assert.equal(await page.getByText(code).count(), 0, 'the code is shown once');
  }

  async function correctionsQueue(page: Page, id: string): Promise<void> {
    const person = (await server.ctx.principals.create({ role: 'subject', subject: id })).token;
    const proposed = await call(server.app, 'POST', '/v1/me/corrections', {
      token: person,
      body: { field: 'natural.legalName', value: 'Amina Nneka Okafor', reason: 'Spelt out on my passport' },
    });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    await openFromMenu(page, 'Corrections');
    await page.getByRole('heading', { name: 'Corrections' }).waitFor();
    await page.getByRole('button', { name: `Review Legal name of ${id}` }).click();
    const review = page.getByRole('region', { name: 'Correction under review' });
    await review.locator('dd', { hasText: 'Amina Nneka Okafor' }).waitFor();
    await checkScreen(page, 'registrar-corrections');
    await openFromMenu(page, 'Closures');
    await page.getByRole('heading', { name: /Close/ }).first().waitFor();
    await checkScreen(page, 'registrar-closures');
  }

  async function organisationMissingField(page: Page): Promise<void> {
    const before = await subjects();
    await openFromMenu(page, 'Enrol');
    await page.getByLabel('Kind').selectOption({ label: 'Organisation' });
    await page.getByLabel('Legal name').fill('Lagos Plaza Ventures');
    await page.getByLabel('Registration number').fill(`RC-${page.viewportSize()?.width}`);
    await page.getByLabel('Jurisdiction').fill('ng');
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    const error = page.locator('#enrol-natural-foundedOn-error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'Founded on is required.');
    assert.equal(await page.getByLabel('Founded on').getAttribute('aria-invalid'), 'true');
    assert.equal(await subjects(), before, 'a refused enrolment creates nothing');
    await checkScreen(page, 'registrar-enrol-organisation');
  }

  /** Sex left out, a birth date that does not exist, a country in words: all three shown at once. */
  async function everyProblemAtOnce(page: Page): Promise<void> {
    const before = await subjects();
    await openFromMenu(page, 'Enrol');
    await page.getByLabel('Kind').selectOption({ label: 'Person' });
    await page.getByLabel('Legal name').fill('Amina Okafor');
    await page.getByLabel('Birth date').fill('1990-13-45');
    await page.getByLabel('Nationality').fill('England');
    await page.getByLabel('Document type').selectOption({ label: 'Passport' });
    await page.getByLabel('Document number').fill(`A${page.viewportSize()?.width}B33`);
    await page.getByLabel('Issuing country').fill('gb');
    await page.getByRole('button', { name: 'Enrol', exact: true }).click();
    const shown = {
      'natural-sex': 'Sex is required.',
      'natural-birthDate': 'Birth date must be a real date, written YYYY-MM-DD.',
      'natural-nationality': 'Nationality is not in the expected format.',
    };
    await page.locator('#enrol-natural-sex-error').waitFor();
    for (const [control, sentence] of Object.entries(shown)) {
      assert.equal(await page.locator(`#enrol-${control}-error`).textContent(), sentence);
      assert.equal(await page.locator(`#enrol-${control}`).getAttribute('aria-invalid'), 'true');
    }
    assert.equal(
      await page.locator('[aria-invalid="true"]').count(),
      3,
      'only the refused fields are marked',
    );
    assert.equal(
      await focusedName(page),
      'natural.birthDate',
      'the focus is on the form’s first refused field',
    );
    assert.equal(await page.getByRole('alert').count(), 0, 'no box repeats one of them below the form');
    assert.equal(await subjects(), before, 'a refused enrolment creates nothing');
    await checkScreen(page, 'registrar-enrol-every-problem');
  }
});

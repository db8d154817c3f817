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
  viewports,
} from './_browser.ts';
import { call, personEnrolment } from './_util.ts';

/**
 * What a first-time reader met as raw data, now in words, through the real pages: the person's
 * profile labelled as the registrar reads it, its versions as changes; a score that never moved
 * said so without contradicting its one-row history; the passkeys screen with none; and the log's
 * entries as labelled fields, their actor named as far as the viewer's role may know it.
 */
browserSuite('the subject’s profile, score, passkeys and the log, in words (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let base: string;
  const tokens: Record<'registrar' | 'subject' | 'platform' | 'service', string> = {
    registrar: '',
    subject: '',
    platform: '',
    service: '',
  };
  let subject: string;

  before(async () => {
    server = await startConsoleServer();
    base = server.base;
    const { ctx, app } = server;
    const token = async (input: Parameters<typeof ctx.principals.create>[0]) =>
      (await ctx.principals.create(input)).token;
    tokens.registrar = await token({ role: 'registrar', name: 'Rita Registrar' });
    const admin = await token({ role: 'admin' });
    const world = await call(app, 'POST', '/v1/worlds', {
      token: admin,
      body: { id: 'plaza', name: 'Plaza' },
    });
    assert.equal(world.status, 201, JSON.stringify(world.body));
    tokens.platform = world.body.platform.token;
    tokens.service = await token({ role: 'service', actions: ['travel.air'] });
    const enrolled = await call(app, 'POST', '/v1/subjects', {
      token: tokens.registrar,
      body: personEnrolment({ social: { occupation: 'Streamer', email: 'tom@example.org' } }),
    });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    subject = enrolled.body.id;
    tokens.subject = await token({ role: 'subject', subject });
    // A second version of the social group: the history must say what it changed.
    const changed = await call(app, 'PATCH', `/v1/subjects/${subject}/attributes`, {
      token: tokens.registrar,
      body: { social: { occupation: 'Sculptor', email: 'tom@example.org' } },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const viewport of ['phone', 'desktop'] as const) {
    test(`at ${viewports[viewport].width} px the person’s profile reads as the registrar’s view, versions as changes`, async () => {
      const tab = await signInWithToken(browser, base, tokens.subject, { home: '/me', viewport });
      const { page } = tab;
      await openFromMenu(page, 'My profile');
      await page.getByRole('heading', { level: 2, name: /^Natural characteristics/ }).waitFor();
      const mine = await labelsOf(page);
      for (const label of [
        'Legal name',
        'Birth date',
        'Document type',
        'Document number',
        'Occupation',
        'Device IDs',
      ]) {
        assert.ok(mine.includes(label), `${label} is among ${mine.join(', ')}`);
      }
      await page.locator('.facts dd', { hasText: 'Passport' }).waitFor();
      await page.getByRole('heading', { level: 2, name: /^Social characteristics/ }).waitFor();
      await page.getByRole('heading', { level: 2, name: /^Identifiable signs/ }).waitFor();
      const facts = await page.locator('.facts').allTextContents();
      assert.ok(!facts.join(' ').includes('{'), `no JSON among the fields: ${facts.join(' | ')}`);
      for (const raw of ['legalName', 'birthDate']) assert.ok(!facts.join(' ').includes(raw));
      // The versions: what each changed, from what to what, in words.
      const versions = page.getByRole('table', { name: 'Every version' });
      await versions.locator('tr', { hasText: 'Occupation: Streamer → Sculptor' }).waitFor();
      const history = (await versions.textContent()) ?? '';
      assert.ok(!history.includes('{'), `no JSON in the versions: ${history}`);
      await page.getByRole('button', { name: 'Propose a correction of Identity document' }).waitFor();
      await screenshot(page, 'subject-profile-labelled');
      await assertAccessible(page, `My profile at ${viewport}`);

      // The registrar's read of the same person names the same fields.
      const staff = await signInWithToken(browser, base, tokens.registrar, { home: '/enrol', viewport });
      await staff.page.goto(`${base}/subjects?id=${subject}`);
      await staff.page.getByLabel('Purpose').selectOption('support');
      await staff.page.getByRole('button', { name: 'Read (logged)' }).click();
      await staff.page.getByRole('heading', { level: 2, name: /^Natural characteristics/ }).waitFor();
      const theirs = await labelsOf(staff.page);
      for (const label of mine) assert.ok(theirs.includes(label), `the registrar reads ${label} too`);
      assert.deepEqual([...tab.errors, ...staff.errors], []);
      await staff.page.close();
      await page.close();
    });
  }

  test('a score that never moved says it is the base, and agrees with its one-row history', async () => {
    const tab = await signInWithToken(browser, base, tokens.subject, { home: '/me', viewport: 'phone' });
    const { page } = tab;
    await openFromMenu(page, 'My score');
    const note = page.getByTestId('history-note');
    await note.waitFor();
    const said = (await note.textContent()) ?? '';
    assert.doesNotMatch(said, /not changed/);
    assert.match(said, /base score of \d+, with no contribution yet/);
    const rows = page.getByRole('table', { name: 'Score history' }).locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const score = (await page.getByTestId('score').textContent())?.trim() ?? '';
    assert.match(said, new RegExp(`your score has been ${score} since`));
    await screenshot(page, 'subject-score-unmoved');
    await assertAccessible(page, 'My score, unmoved, at phone');
    assert.deepEqual(tab.errors, []);
    await page.close();
  });

  test('a person signed in by token is told they have no passkey yet, beside the way to add one', async () => {
    const tab = await signInWithToken(browser, base, tokens.subject, { home: '/me', viewport: 'phone' });
    const { page } = tab;
    await openFromMenu(page, 'Passkeys');
    await page.getByText('You have no passkey yet').waitFor();
    await page.getByRole('button', { name: 'Add a passkey' }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'My passkeys' }).count(), 0);
    await screenshot(page, 'subject-passkeys-none');
    await assertAccessible(page, 'Passkeys, none, at phone');
    assert.deepEqual(tab.errors, []);
    await page.close();
  });

  const logReaders = [
    { role: 'subject', home: '/me', viewport: 'phone', actor: 'by a registrar' },
    { role: 'platform', home: '/world', viewport: 'desktop', actor: 'by a registrar' },
    { role: 'service', home: '/eligibility', viewport: 'phone', actor: 'by a registrar' },
    { role: 'registrar', home: '/enrol', viewport: 'desktop', actor: 'by Rita Registrar' },
  ] as const;
  for (const reader of logReaders) {
    test(`a ${reader.role} reads the log’s entries as labelled fields, the actor ${reader.actor}`, async () => {
      const tab = await signInWithToken(browser, base, tokens[reader.role], {
        home: reader.home,
        viewport: reader.viewport,
      });
      const { page } = tab;
      await openFromMenu(page, 'Log');
      const changed = page.locator('.entries li', { hasText: 'subject.attributes_changed' });
      await changed.locator('.entry-fields').first().waitFor();
      await changed.getByText(reader.actor).waitFor();
      const entries = await page.locator('.entries li').allTextContents();
      for (const entry of entries) {
        assert.doesNotMatch(entry, /[{}"]|\bnull\b/, `no JSON in ${entry}`);
        if (reader.role !== 'registrar')
          assert.doesNotMatch(entry, /prn_[0-9a-z]{16}/, `no whole id in ${entry}`);
      }
      // A commitment is labelled and short; the whole value on hover.
      const commitment = changed.locator('dt', { hasText: 'Subject (commitment)' });
      await commitment.waitFor();
      const short = changed.locator('.entry-fields .short-id').first();
      assert.match((await short.textContent()) ?? '', /…$/);
      assert.ok(((await short.getAttribute('title')) ?? '').length > 20);
      await screenshot(page, `log-entries-${reader.role}`);
      await assertAccessible(page, `Log as ${reader.role}`);
      assert.deepEqual(tab.errors, []);
      await page.close();
    });
  }
});

/** The field labels of every group shown, in order. */
async function labelsOf(page: Page): Promise<string[]> {
  return (await page.locator('.facts dt').allTextContents()).map((text) => text.trim());
}

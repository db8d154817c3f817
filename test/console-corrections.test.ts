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
import { call, personEnrolment, tempDir, testConfig } from './_util.ts';

/**
 * Issue 15 in the console, in Chromium: the person reads its profile and proposes a correction
 * with a reason; a registrar reviews it in the corrections queue and accepts it; another is
 * refused with a reason; the person sees the new value and each outcome.
 */

const chromiumPath = process.env.MDIS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');

if (!fs.existsSync(chromiumPath)) {
  test('corrections in the console', { skip: `SKIPPED: no Chromium at ${chromiumPath}` }, () => {});
} else {
  describe('corrections in the console (Chromium)', { timeout: 180_000 }, defineSuite);
}

function defineSuite(): void {
  let ctx: AppContext;
  let app: FastifyInstance;
  let browser: BrowserContext;
  let base: string;
  let subject: string;
  let person: string;
  let registrar: string;
  const dirs: string[] = [];
  const errors: string[] = [];

  before(async () => {
    execFileSync(process.execPath, [path.join(root, 'console', 'build.ts')], { stdio: 'inherit' });
    const dataDir = tempDir('console-corrections');
    dirs.push(dataDir);
    ctx = await createContext(testConfig('sqlite', dataDir), { logger: pino({ level: 'silent' }) });
    app = await buildServer(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    registrar = (await ctx.principals.create({ role: 'registrar', name: 'Registrar' })).token;
    const enrolled = await call(app, 'POST', '/v1/subjects', { token: registrar, body: personEnrolment() });
    assert.equal(enrolled.status, 201);
    subject = enrolled.body.id;
    person = (await ctx.principals.create({ role: 'subject', subject })).token;
    const profile = tempDir('chromium-profile');
    dirs.push(profile);
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
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

  async function signIn(token: string, home: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(base);
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${base}${home}`);
    return page;
  }

  test('the person proposes, the registrar accepts one and refuses another, the person sees both', async () => {
    const me = await signIn(person, '/me');
    await me.getByRole('link', { name: 'My profile' }).click();
    await me.getByRole('heading', { name: 'My profile' }).waitFor();
    await me.locator('.facts dd', { hasText: 'Thomas Example' }).waitFor();
    await me.getByRole('button', { name: 'Propose a correction of natural.legalName' }).click();
    const form = me.getByRole('form', { name: 'Correction of natural.legalName' });
    await form.getByLabel('New value').fill('Thomasina Example');
    await form.getByLabel('Why the recorded value is wrong').fill('Misspelt at enrolment');
    await form.getByRole('button', { name: 'Propose the correction' }).click();
    const mine = me.getByRole('table', { name: 'My corrections' });
    await mine
      .locator('tr', { hasText: 'natural.legalName' })
      .locator('td', { hasText: 'pending' })
      .waitFor();

    // A second one, refused below.
    await me.getByRole('button', { name: 'Propose a correction of social.occupation' }).click();
    const second = me.getByRole('form', { name: 'Correction of social.occupation' });
    await second.getByLabel('New value').fill('Sculptor');
    await second.getByLabel('Why the recorded value is wrong').fill('I changed trade');
    await second.getByRole('button', { name: 'Propose the correction' }).click();
    await mine.locator('tr', { hasText: 'social.occupation' }).waitFor();

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
    await mine
      .locator('tr', { hasText: 'natural.legalName' })
      .locator('td', { hasText: 'accepted' })
      .waitFor();
    await mine
      .locator('tr', { hasText: 'social.occupation' })
      .locator('td', { hasText: 'Show your trade licence' })
      .waitFor();
    // The registrar's reviews are reads of the person's profile, shown to the person.
    const reads = await call(app, 'GET', '/v1/me/access?list=reads', { token: person });
    assert.deepEqual(
      reads.body.reads.items.map((r: { purpose: string }) => r.purpose),
      ['correction', 'correction'],
    );
    assert.deepEqual(errors, [], 'the pages logged errors');
  });
}

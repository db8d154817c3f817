import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { dayMs } from '../src/util/time.ts';
import {
  type Browser,
  browserSuite,
  type ConsoleServer,
  desktop,
  launchBrowser,
  openTab,
  pageErrors,
  screenshot,
  signInWithToken,
  startConsoleServer,
  type Tab,
} from './_browser.ts';
import { conductFixture, report } from './_fixtures.ts';
import { call, type Harness, organisationEnrolment } from './_util.ts';

/**
 * The web console end to end, in Debian's Chromium driven by playwright-core: Tom's case through
 * the moderator's, Tom's, the admin's and the auditor's screens, by clicks, against a real server
 * on a SQLite store. Screenshots of each role's main screen go to test-artifacts/.
 */

/** The narrowest phone these screens are checked at (narrower than the harness's `phone`). */
const phone = { width: 375, height: 812 };

browserSuite('the web console in a browser (Chromium)', defineSuite, 180_000);

function defineSuite(): void {
  let server: ConsoleServer;
  let browser: Browser;
  let base: string;
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let h: Pick<Harness, 'call' | 'token'>;
  let caseId: string;
  let auditor: string;

  before(async () => {
    server = await startConsoleServer();
    base = server.base;
    const { ctx, app } = server;

    // Tom's scenario through the API: enrolled, bound in the plaza, reported by three users.
    h = {
      token: async (input) => (await ctx.principals.create(input)).token,
      call: (method, url, options) => call(app, method, url, options),
    };
    f = await conductFixture(h as Harness);
    // Reporters are avatars bound in the world: three of one witness.
    const witness = await h.call('POST', '/v1/subjects', {
      token: f.registrar,
      body: organisationEnrolment(),
    });
    for (const reporter of ['alice', 'bob', 'carol']) {
      await ctx.avatars.bind({ world: f.world, handle: reporter, subject: witness.body.id }, 'test');
    }
    for (const reporter of ['alice', 'bob', 'carol']) {
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: report(f.world, reporter),
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      caseId = filed.body.caseId;
    }
    auditor = await h.token({ role: 'auditor', name: 'Log auditor' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A new tab (its own sessionStorage, so its own sign-in) that records console errors. */
  function signIn(token: string, home: string): Promise<Tab> {
    return signInWithToken(browser, base, token, { home });
  }

  /** Desktop and phone screenshots; on a phone, nothing may be wider than the screen. */
  async function screenshots(page: Page, name: string): Promise<void> {
    await page.setViewportSize(desktop);
    await screenshot(page, `console-${name}`);
    await page.setViewportSize(phone);
    await page.waitForTimeout(150); // charts follow their container's width
    await screenshot(page, `console-${name}`);
    // The layout follows the resize over a few frames (more on a busy machine): give it a second.
    let width = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 10 && width > phone.width; tries++) {
      if (tries > 0) await page.waitForTimeout(100);
      width = Number(await page.evaluate('document.documentElement.scrollWidth'));
    }
    assert.ok(width <= phone.width, `${name}: the page is ${width} px wide on a ${phone.width} px phone`);
    await page.setViewportSize(desktop);
  }

  function assertNoErrors(tab: { errors: string[] }): void {
    assert.deepEqual(tab.errors, [], 'the page logged errors');
  }

  test('a moderator finds the case and decides it upheld with a travel.air restriction', async () => {
    const tab = await signIn(f.moderator, '/cases');
    const { page } = tab;
    await page.getByRole('link', { name: caseId }).waitFor();
    await screenshots(page, 'moderator-cases');

    await page.getByLabel('World').fill('plaza');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/world=plaza/);
    await page.getByRole('link', { name: caseId }).click();
    await page.getByRole('heading', { name: 'Reports (3)' }).waitFor();
    for (const reporter of ['alice', 'bob', 'carol']) {
      await page.locator('.card', { hasText: reporter }).waitFor();
    }

    // Nothing preselected (issue 14): the moderator chooses the outcome.
    assert.equal(await page.getByLabel('Upheld').isChecked(), false);
    assert.equal(await page.getByLabel('Dismissed').isChecked(), false);
    await page.getByLabel('Upheld').check();
    // The severity field names the category's range, and it starts empty.
    await page.getByText('Severity (1–3 for spreading_rumors)').waitFor();
    assert.equal(await page.getByLabel('Severity').inputValue(), '');
    await page.getByLabel('Severity').fill('2');
    // What the decision will do, before it is recorded.
    const effects = page.getByTestId('decision-effects');
    await effects.locator('li', { hasText: 'add 2 strike(s): active strikes 0 → 2' }).waitFor();
    await effects
      .locator('li', { hasText: "impose the ladder's suspension for 2 day(s), -20 points" })
      .waitFor();
    await effects.locator('li', { hasText: 'count -55 points' }).waitFor();
    await page.getByLabel('Rationale').fill('Repeated false claims that caused a run on the plaza bank');
    await page.getByRole('button', { name: 'Add a sanction' }).click();
    await page.getByLabel('Kind').selectOption('restriction');
    await page.getByLabel('Actions').fill('travel.air');
    await page.getByLabel('Days').fill('30');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('.facts .status', { hasText: 'decided' }).waitFor();
    await page.locator('.facts', { hasText: 'upheld at severity 2' }).waitFor();
    await screenshots(page, 'moderator-case');

    const sanctions = await h.call('GET', `/v1/sanctions?subject=${f.tom}`, { token: f.moderator });
    const restriction = sanctions.body.items.find((s: { kind: string }) => s.kind === 'restriction');
    assert.deepEqual(restriction.actions, ['travel.air']);
    assert.equal(restriction.caseId, caseId);
    const air = await h.call('GET', `/v1/eligibility?subject=${f.tom}&action=travel.air`, {
      token: f.airline,
    });
    assert.equal(air.body.reason, 'restricted');

    // The sanctions screen lists it for Tom.
    await page.getByRole('link', { name: 'sanctions', exact: true }).click();
    await page.waitForURL(/\/sanctions\?subject=/);
    await page.locator('td', { hasText: 'travel.air' }).waitFor();
    assertNoErrors(tab);
  });

  test('Tom sees the sanction, his lowered score and why, and appeals', async () => {
    const tab = await signIn(f.subject, '/me');
    const { page } = tab;
    await page.locator('td', { hasText: 'travel.air' }).waitFor();
    const score = Number(await page.locator('.tile-value').first().textContent());
    assert.ok(score < 1000, `the score fell below the base: ${score}`);
    await screenshots(page, 'subject-record');

    await page.getByRole('link', { name: 'My score' }).first().click();
    await page.waitForURL(`${base}/me/score`);
    assert.equal(Number(await page.getByTestId('score').textContent()), score);
    const contributions = page.locator('table', {
      has: page.locator('caption', { hasText: 'Contributions' }),
    });
    await contributions.locator('td', { hasText: 'spreading rumors, severity 2' }).waitFor();
    for (const header of ['Cause', 'Dimension', 'Points', 'Current points', 'Expires on']) {
      await contributions.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    await contributions.locator('td', { hasText: 'restriction (sanction)' }).waitFor();
    await screenshots(page, 'subject-score');

    await page.getByRole('link', { name: 'My record' }).click();
    // The case against him: each report's evidence, never who reported it; the deadline.
    await page.getByRole('link', { name: 'https://evidence.example/plaza/123' }).first().waitFor();
    await page.getByText('You may appeal this decision until').waitFor();
    const record = String(await page.locator('main, body').first().textContent());
    for (const reporter of ['alice', 'bob', 'carol']) assert.ok(!record.includes(reporter), reporter);
    await page.getByRole('button', { name: 'Appeal this decision' }).click();
    await page
      .getByLabel('Why the decision is wrong')
      .fill('The bank really was insolvent: here is its filing');
    await page.getByRole('button', { name: 'Send the appeal' }).click();
    await page.locator('.card .status', { hasText: 'appealed' }).waitFor();
    await page.locator('.card', { hasText: 'Appeal: pending' }).waitFor();
    assertNoErrors(tab);
  });

  test('another moderator overturns the decision on appeal', async () => {
    // Not the moderator who decided: the appeal of a decision goes to someone else (issue 14).
    const tab = await signIn(f.reviewer, '/cases');
    const { page } = tab;
    // A reload of a client route: the server answers it with the console, still signed in.
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByRole('heading', { name: 'Decide the appeal' }).waitFor();
    assert.equal(await page.getByLabel('Uphold the decision').isChecked(), false);
    assert.equal(await page.getByLabel('Overturn it').isChecked(), false);
    await page.getByLabel('Overturn it').check();
    await page.getByLabel('Rationale').fill('The filing confirms the claim');
    await page.getByRole('button', { name: 'Record the appeal decision' }).click();
    await page.locator('.facts', { hasText: 'overturned' }).waitFor();

    const air = await h.call('GET', `/v1/eligibility?subject=${f.tom}&action=travel.air`, {
      token: f.airline,
    });
    assert.equal(air.body.allowed, true);
    const me = await h.call('GET', '/v1/me', { token: f.subject });
    assert.ok(me.body.sanctions.every((s: { status: string }) => s.status === 'lifted'));
    assertNoErrors(tab);
  });

  test('an admin sees the grade distribution chart', async () => {
    const admin = await h.token({ role: 'admin', name: 'Operator' });
    const tab = await signIn(admin, '/dashboard');
    const { page } = tab;
    const chart = page.locator('figure', { hasText: 'Grade distribution' });
    await chart.locator('canvas').waitFor();
    assert.match(String(await chart.locator('[role=img]').getAttribute('aria-label')), /A 1\b/);
    await page.locator('figure', { hasText: 'Score histogram' }).locator('canvas').waitFor();
    await screenshots(page, 'admin-dashboard');

    await page.getByRole('link', { name: 'Principals' }).click();
    await page.locator('td', { hasText: 'Log auditor' }).waitFor();
    await screenshots(page, 'admin-principals');

    // A new moderator is a person: the answer's activation code is shown as a link and a QR code.
    await page.getByText('Create a principal').click();
    await page.getByLabel('Role').selectOption('moderator');
    await page.getByLabel('Name').fill('New moderator');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const notice = page.getByRole('status');
    const code = (await notice.locator('.activation code').textContent()) ?? '';
    assert.ok(code.length > 0, 'the activation code is shown');
    const href = String(await notice.getByRole('link').getAttribute('href'));
    assert.match(href, /\/activate\?code=/);
    assert.ok(href.includes(encodeURIComponent(code)), `the link ${href} carries the code ${code}`);
    const qr = notice.locator('svg[role=img]');
    assert.equal(await qr.getAttribute('aria-label'), 'QR code of the activation link');
    assert.match(String(await qr.locator('path').getAttribute('d')), /^M\d+ \d+h1v1h-1z/);
    await screenshots(page, 'admin-activation');
    assertNoErrors(tab);
  });

  test('a registrar reads Tom’s profile for a purpose, and Tom sees who looked at his data', async () => {
    const registrar = await h.token({ role: 'registrar', name: 'Civil registry desk' });
    const staff = await signIn(registrar, '/enrol');
    await staff.page.getByRole('link', { name: 'Profiles' }).click();
    await staff.page.getByLabel('Digital ID').fill(f.tom);
    // The purposes are the policy's: the form cannot be sent without one.
    await staff.page.getByLabel('Purpose').locator('option', { hasText: 'enrolment check' }).waitFor({
      state: 'attached',
    });
    await staff.page.getByLabel('Purpose').selectOption('support');
    await staff.page.getByRole('button', { name: 'Read (logged)' }).click();
    await staff.page.locator('dd', { hasText: 'Thomas Example' }).waitFor();
    await screenshots(staff.page, 'registrar-profile');
    assertNoErrors(staff);

    // The airline's checks of the earlier tests, written as the scheduled job would.
    await server.ctx.checkCounts.flush();
    const tab = await signIn(f.subject, '/me');
    const { page } = tab;
    await page.getByRole('link', { name: 'Access history' }).first().click();
    await page.getByRole('heading', { name: 'Who looked at my data' }).waitFor();
    const reads = page.locator('table', { has: page.locator('caption', { hasText: 'Reads of my profile' }) });
    await reads.locator('tr', { hasText: 'support' }).locator('td', { hasText: 'registrar' }).waitFor();
    assert.ok(!(await page.locator('main, body').first().textContent())?.includes('Civil registry desk'));
    const checks = page.locator('table', { has: page.locator('caption', { hasText: 'Checks by services' }) });
    await checks.locator('td', { hasText: 'travel.air' }).first().waitFor();
    assertNoErrors(tab);
  });

  test('two admins: one proposes an oversight principal, the other approves it and gets its code', async () => {
    const proposer = await h.token({ role: 'admin', name: 'Proposing admin' });
    const approver = await h.token({ role: 'admin', name: 'Approving admin' });
    const first = await signIn(proposer, '/dashboard');
    await first.page.getByRole('link', { name: 'Principals' }).click();
    await first.page.getByText('Create a principal').click();
    await first.page.getByLabel('Role').selectOption('oversight');
    await first.page.getByLabel('Name').fill('Review court');
    await first.page.getByRole('button', { name: 'Propose', exact: true }).click();
    await first.page
      .getByRole('status')
      .filter({ hasText: 'Proposed: create oversight “Review court”' })
      .waitFor();
    const waiting = first.page.locator('tr', { hasText: 'create oversight “Review court”' });
    await waiting.getByText('pending: waiting for another admin').waitFor();
    assert.equal(await waiting.getByRole('button').count(), 0, 'its proposer cannot approve it');
    assert.equal(await first.page.locator('td', { hasText: /^Review court$/ }).count(), 0, 'not created yet');
    await screenshots(first.page, 'admin-proposal-pending');
    assertNoErrors(first);

    const second = await signIn(approver, '/dashboard');
    await second.page.getByRole('link', { name: 'Principals' }).click();
    await second.page.getByRole('button', { name: 'Approve: create oversight “Review court”' }).click();
    const notice = second.page.getByRole('status').filter({ hasText: 'Approved: create oversight' });
    const code = (await notice.locator('.activation code').textContent()) ?? '';
    assert.ok(code.length > 0, 'the approver is shown the activation code');
    const token = (await notice.locator('pre.token').textContent()) ?? '';
    const whoami = await h.call('GET', '/v1/whoami', { token: token.trim() });
    assert.deepEqual([whoami.body.role, whoami.body.name], ['oversight', 'Review court']);
    await second.page.locator('td', { hasText: /^Review court$/ }).waitFor();
    assert.equal(
      await second.page.getByRole('button', { name: /Review court/ }).count(),
      0,
      'no longer pending',
    );
    await screenshots(second.page, 'admin-proposal-approved');
    assertNoErrors(second);
  });

  test('an auditor verifies the checkpoint and an inclusion proof in the browser', async () => {
    const tab = await signIn(auditor, '/log');
    const { page } = tab;
    await page.getByRole('button', { name: 'Verify the log' }).click();
    const verdict = page.locator('.verdict');
    await verdict.waitFor();
    assert.match(String(await verdict.textContent()), /^Verified: the checkpoint of \d+ entries is signed/);
    const steps = page.locator('.steps li');
    assert.match(String(await steps.nth(0).textContent()), /✓ Checkpoint signature: verified/);
    assert.match(String(await steps.nth(2).textContent()), /✓ Inclusion of entry #\d+: verified/);
    await page.locator('.entries li').first().waitFor();
    await screenshots(page, 'auditor-log');

    // Another entry, and now also consistency with the checkpoint verified a moment ago.
    await page.getByLabel('Entry to prove').fill('0');
    await page.getByRole('button', { name: 'Verify the log' }).click();
    await page.locator('.steps li', { hasText: 'Inclusion of entry #0: verified' }).waitFor();
    assert.match(String(await steps.nth(1).textContent()), /✓ Append-only since your last check: verified/);

    // A key that is not the log's: the browser refuses the checkpoint.
    const key = page.getByLabel('Verifier key');
    const served = await key.inputValue();
    await key.fill(
      served.replace(
        /\+([0-9a-f]{8})\+/,
        (_m, id: string) => `+${id.startsWith('0') ? '1' : '0'}${id.slice(1)}+`,
      ),
    );
    await page.getByRole('button', { name: 'Verify the log' }).click();
    await page.locator('.verdict.bad', { hasText: 'Not verified' }).waitFor();
    assertNoErrors(tab);
  });

  test('an authority asks who tom is, oversight approves, and the authority reads the identity', async () => {
    const police = await signIn(
      await h.token({ role: 'authority', jurisdiction: 'GB', name: 'Met' }),
      '/disclosures',
    );
    const { page } = police;
    await page.getByRole('link', { name: 'File a request' }).click();
    await page.getByLabel('World').fill(f.world);
    await page.getByLabel('Handle').fill('tom');
    // A list of the policy's categories: their labels shown, their names sent (issue 17).
    await page.getByLabel('Offence').selectOption({ label: 'Spreading rumors' });
    await page.getByLabel('Case').fill(caseId);
    await page.getByLabel('Reference').fill('W-2026-118');
    await page.getByLabel('Issued by').fill('Westminster Magistrates');
    const nextYear = new Date(Date.now() + 365 * dayMs).toISOString().slice(0, 16);
    await page.getByLabel('Valid until').fill(nextYear);
    await page.getByLabel('Purpose').fill('Identify who started the run on the plaza bank');
    await page.getByRole('button', { name: 'File the request' }).click();
    await page.waitForURL(/\/disclosures\/dsc_/);
    const requestUrl = page.url();
    await page.locator('.facts .status', { hasText: 'pending' }).waitFor();
    await page.getByRole('link', { name: 'Disclosures' }).first().click();
    await page.locator('td', { hasText: 'spreading rumors' }).waitFor();
    await screenshots(page, 'authority-disclosures');

    const judge = await signIn(await h.token({ role: 'oversight', name: 'Judge' }), '/oversight');
    const pending = judge.page.locator('table', {
      has: judge.page.locator('caption', { hasText: 'Pending' }),
    });
    await pending.locator('a[href^="/disclosures/dsc_"]').waitFor();
    await screenshots(judge.page, 'oversight-review');
    await pending.locator('a[href^="/disclosures/dsc_"]').click();
    await judge.page.getByLabel('Reason').fill('The warrant is in order and the scope is the least needed');
    await judge.page.getByRole('button', { name: 'Approve' }).click();
    await judge.page.locator('.facts .status', { hasText: 'granted' }).waitFor();
    // The report counts it as resting on a case, and every other power besides.
    await judge.page.goto(`${base}/transparency`);
    await judge.page.getByRole('heading', { name: 'Every other power' }).waitFor();
    const withCase = judge.page.locator('tr', { hasText: 'with a case' }).first();
    assert.match(String(await withCase.textContent()), /with a case\s*1$/);
    await judge.page.locator('caption', { hasText: 'Principal changes' }).waitFor();

    await page.goto(requestUrl);
    await page.getByRole('heading', { name: 'Identity disclosed' }).waitFor();
    // Labelled fields, not JSON (issue 17).
    const natural = page.getByRole('region', { name: 'Natural identity' });
    await natural.locator('dt', { hasText: 'Legal name' }).waitFor();
    await natural.locator('dd', { hasText: 'Thomas Example' }).first().waitFor();
    assertNoErrors(police);
    assertNoErrors(judge);
  });

  test('Tom makes a credential offer for his wallet: a QR code, its link and the transaction code', async () => {
    const tab = await signIn(f.subject, '/me');
    const { page } = tab;
    await page.getByRole('link', { name: 'Credentials' }).first().click();
    await page.waitForURL(`${base}/me/credentials`);
    await page.getByText('You have no credentials yet.').waitFor();
    await page.getByRole('button', { name: 'Make an offer for my wallet' }).click();
    await page.getByRole('img', { name: 'QR code of the credential offer' }).waitFor();
    const link = await page.getByRole('link', { name: 'Open in my wallet' }).getAttribute('href');
    assert.match(String(link), /^openid-credential-offer:\/\/\?credential_offer=/);
    const txCode = String(await page.locator('.activation code').textContent());
    assert.match(txCode, /^[0-9]{6}$/);
    assert.ok(!String(link).includes(txCode), 'the transaction code is in the offer');
    await screenshots(page, 'subject-credentials');
    assertNoErrors(tab);
  });

  test('an unknown token is refused in plain words', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    await page.goto(base);
    await page.getByLabel('Token').fill('mdis_not_a_real_token');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(String(await alert.textContent()), /^That token is not valid\./);
    // A token refused at sign-in is not a sign-in lost: no "no longer accepts your token".
    assert.doesNotMatch(String(await page.locator('main').textContent()), /no longer accepts/);
    // What the page throws, not what it logs: the refused request may be logged in its console.
    assert.deepEqual(pageErrors(tab), []);
  });
}

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  type Browser,
  browserSuite,
  type ConsoleServer,
  harnessOf,
  launchBrowser,
  openTab,
  screenshot,
  signInWithToken,
  startConsoleServer,
  type Tab,
  type ViewportName,
  viewports,
} from './_browser.ts';
import { conductFixture, report } from './_fixtures.ts';
import { call, organisationEnrolment } from './_util.ts';

/**
 * The subject's screens through the real pages at 390 and 1280 px: each reached from its menu,
 * screenshot and axe-checked; an appeal filed by keyboard alone and listed with its status; the
 * access history showing a registrar's read. Staff (signed in by passkey): passkeys and sessions,
 * another session ended.
 */

/** Every screen of the subject's menu, in the menu's order: its entry, its heading, its path. */
const subjectScreens = [
  { nav: 'My record', heading: 'My record', path: '/me' },
  { nav: 'My score', heading: 'My score', path: '/me/score' },
  { nav: 'Appeals', heading: 'My appeals', path: '/me/appeals' },
  { nav: 'Access history', heading: 'Who looked at my data', path: '/me/access' },
  { nav: 'My profile', heading: 'My profile', path: '/me/profile' },
  { nav: 'My avatars', heading: 'My avatars', path: '/me/avatars' },
  { nav: 'Credentials', heading: 'Credentials', path: '/me/credentials' },
  { nav: 'My data', heading: 'My data', path: '/me/data' },
  { nav: 'Log', heading: 'Transparency log', path: '/log' },
  { nav: 'Passkeys', heading: 'My passkeys', path: '/me/passkeys' },
  { nav: 'Sessions', heading: 'My sessions', path: '/me/sessions' },
] as const;

browserSuite('the subject’s and staff’s own screens (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let base: string;
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let caseId: string;
  let sanctionId: string;

  before(async () => {
    server = await startConsoleServer();
    base = server.base.replace('127.0.0.1', 'localhost');
    const h = harnessOf(server);
    f = await conductFixture(h);
    // Something to appeal of each kind the menu's Appeals screen gathers: a decision, a sanction.
    const witness = await h.call('POST', '/v1/subjects', {
      token: f.registrar,
      body: organisationEnrolment(),
    });
    await server.ctx.avatars.bind({ world: f.world, handle: 'bob', subject: witness.body.id }, 'test');
    const filed = await h.call('POST', '/v1/reports', { token: f.platform, body: report(f.world, 'bob') });
    assert.equal(filed.status, 202, JSON.stringify(filed.body));
    caseId = filed.body.caseId;
    const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: f.moderator,
      body: { outcome: 'upheld', severity: 1, rationale: 'Rumours confirmed by three witnesses' },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const imposed = await h.call('POST', '/v1/sanctions', {
      token: f.moderator,
      body: { subject: f.tom, kind: 'warning', reason: 'Be civil in the plaza' },
    });
    assert.equal(imposed.status, 201, JSON.stringify(imposed.body));
    sanctionId = imposed.body.id;
    // A registrar reads Tom's profile, for a purpose: his access history must show it.
    const read = await h.call('GET', `/v1/subjects/${f.tom}?purpose=support`, { token: f.registrar });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    // A passkey's RP ID is a host name, not an address: people reach the server as localhost (the
    // fixture's own sign-in, above, used the harness's default origin).
    server.ctx.config.publicUrl = base;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const viewport of ['phone', 'desktop'] as const) {
    test(`at ${viewports[viewport].width} px the subject reaches each of its screens from the menu`, async () => {
      const tab = await signInWithToken(browser, base, f.subject, { home: '/me', viewport });
      const { page } = tab;
      if (viewport === 'phone') {
        // The long menu folds; open, it lists every screen, one a line; Escape folds it again.
        const toggle = page.getByRole('button', { name: 'Menu: My record' });
        await toggle.click();
        const links = page.getByRole('navigation', { name: 'Screens' }).getByRole('link');
        assert.deepEqual(
          await links.allTextContents(),
          subjectScreens.map((s) => s.nav),
        );
        await assertNoBrokenEntries(page);
        await screenshot(page, 'subject-menu-open');
        await assertAccessible(page, 'the open menu at phone');
        await page.keyboard.press('Escape');
        assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
        assert.equal(await links.first().isVisible(), false);
      }
      for (const screen of subjectScreens) {
        await openFromMenu(page, viewport, screen.nav);
        await page.waitForURL(`${base}${screen.path}`);
        await page.getByRole('heading', { level: 1, name: screen.heading, exact: true }).waitFor();
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        await fitsWidth(page, screen.nav);
        await screenshot(page, `subject-${screen.path.slice(1).replaceAll('/', '-')}`);
        await assertAccessible(page, `${screen.nav} at ${viewport}`);
      }
      // The access history names the registrar's read and its purpose, never the reader's name.
      await openFromMenu(page, viewport, 'Access history');
      const reads = page.locator('table', {
        has: page.locator('caption', { hasText: 'Reads of my profile' }),
      });
      await reads.locator('tr', { hasText: 'support' }).locator('td', { hasText: 'registrar' }).waitFor();
      assert.deepEqual(tab.errors, []);
      await page.close();
    });
  }

  // One appeal per width: the sanction on a phone, the case's decision on a desktop.
  for (const [viewport, kind] of [
    ['phone', 'sanction'],
    ['desktop', 'decision'],
  ] as const) {
    test(`at ${viewports[viewport].width} px the subject appeals a ${kind} by keyboard alone and sees it listed`, async () => {
      const target = kind === 'sanction' ? sanctionId : caseId;
      const tab = await signInWithToken(browser, base, f.subject, { home: '/me', viewport });
      const { page } = tab;
      await openFromMenu(page, viewport, 'Appeals');
      const opener = page.getByRole('button', { name: `Appeal this ${kind}: ${target}` });
      await opener.waitFor();
      await tabTo(page, `Appeal this ${kind}: ${target}`);
      await page.keyboard.press('Enter');
      // The form opens with the focus in its field.
      const field = page.getByLabel(`Why the ${kind} is wrong`);
      await field.waitFor();
      assert.equal(await page.evaluate('document.activeElement?.getAttribute("name")'), 'appeal-reason');
      await page.keyboard.type('I was quoting the plaza’s own notice, not making it up');
      await tabTo(page, 'Send the appeal');
      await screenshot(page, `subject-appeal-form-${kind}`);
      await page.keyboard.press('Enter');
      const row = page.locator('table tr', { hasText: target });
      await row.locator('td', { hasText: 'pending waiting to be heard' }).waitFor();
      await opener.waitFor({ state: 'detached' });
      await fitsWidth(page, `Appeals with an appeal filed at ${viewport}`);
      await screenshot(page, `subject-appeal-listed-${kind}`);
      await assertAccessible(page, `Appeals after filing at ${viewport}`);
      const me = await call(server.app, 'GET', '/v1/me', { token: f.subject });
      const filed = me.body.appeals.find((a: { target: string }) => a.target === target);
      assert.equal(filed.status, 'pending');
      assert.equal(filed.reason, 'I was quoting the plaza’s own notice, not making it up');

      // Heard by another moderator: the list says the outcome, in words, and why.
      const outcome = kind === 'sanction' ? 'overturned' : 'upheld';
      const heard = await call(server.app, 'POST', `/v1/appeals/${filed.id}/decision`, {
        token: f.reviewer,
        body: { outcome, rationale: `Heard in full: ${outcome}` },
      });
      assert.equal(heard.status, 200, JSON.stringify(heard.body));
      await page.reload();
      const said =
        outcome === 'upheld' ? 'refused the decision stands' : 'granted the decision is overturned';
      await row.locator('td', { hasText: said }).waitFor();
      await fitsWidth(page, `Appeals with an appeal heard at ${viewport}`);
      await row.locator('td', { hasText: `Heard in full: ${outcome}` }).waitFor();
      await screenshot(page, `subject-appeal-heard-${kind}`);
      assert.deepEqual(tab.errors, []);
      await page.close();
    });
  }

  for (const viewport of ['phone', 'desktop'] as const) {
    test(`at ${viewports[viewport].width} px a moderator signed in by passkey sees its passkeys and sessions and ends another`, async () => {
      const made = await server.ctx.activation.createPrincipal({ role: 'moderator', name: `Mo ${viewport}` });
      await browser.context.clearCookies();
      const tab = await withAuthenticator(await openTab(browser, viewport));
      const { page } = tab;
      await page.goto(`${base}/activate?code=${made.activation!.code}`);
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.waitForURL(`${base}/cases`);
      // Two more devices signed in as the same moderator.
      const others: { cookie: string }[] = [];
      for (let i = 0; i < 2; i++) {
        others.push(await server.ctx.sessions.start(server.ctx.db, made.principal.id));
      }

      await openFromMenu(page, viewport, 'Passkeys');
      await page.getByRole('heading', { level: 1, name: 'My passkeys' }).waitFor();
      await page.getByRole('button', { name: /^Remove / }).waitFor();
      // Listed with its name, when it was added and when last used, one row each.
      const keys = page.getByRole('table', { name: 'My passkeys' });
      assert.equal(await keys.locator('tbody tr').count(), 1);
      for (const column of ['Name', 'Added', 'Last used']) {
        assert.notEqual((await keys.locator(`td[data-label="${column}"]`).textContent())?.trim(), '');
      }
      assert.equal(await page.getByText('You have no passkey yet').count(), 0);
      await screenshot(page, 'staff-passkeys');
      await assertAccessible(page, `staff passkeys at ${viewport}`);

      await openFromMenu(page, viewport, 'Sessions');
      const ends = page.getByRole('button', { name: /^End session signed in / });
      await ends.nth(1).waitFor();
      assert.equal(await ends.count(), 2);
      await page.getByText('this browser').waitFor();
      await screenshot(page, 'staff-sessions');
      await assertAccessible(page, `staff sessions at ${viewport}`);

      const alive = async (cookie: string) => (await server.ctx.sessions.authenticate(cookie)) !== undefined;
      if (viewport === 'desktop') {
        await ends.first().click();
        await ends.nth(1).waitFor({ state: 'detached' });
        const living = [];
        for (const other of others) if (await alive(other.cookie)) living.push(other);
        assert.equal(living.length, 1, 'one other session ended, the other still alive');
      } else {
        await page.getByRole('button', { name: 'End all other sessions (2)' }).click();
        await ends.first().waitFor({ state: 'detached' });
        for (const other of others) assert.equal(await alive(other.cookie), false);
      }
      // This browser is still signed in, and says so after a reload.
      const listed = await server.ctx.sessions.listOf(made.principal.id);
      assert.equal(listed.length, viewport === 'desktop' ? 2 : 1);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'My sessions' }).waitFor();
      await page.getByText('this browser').waitFor();
      assert.deepEqual(tab.errors, []);
      await page.close();
    });
  }
});

/** Follows a menu entry; on a phone the menu is folded behind its button first. */
async function openFromMenu(page: Page, viewport: ViewportName, name: string): Promise<void> {
  const menu = page.getByRole('navigation', { name: 'Screens' });
  if (viewport === 'phone') {
    const toggle = menu.getByRole('button', { name: /^Menu/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    await assertNoBrokenEntries(page);
  }
  await menu.getByRole('link', { name, exact: true }).click();
}

/** No menu entry is broken across lines (each of its words on one line, the entry on one line). */
async function assertNoBrokenEntries(page: Page): Promise<void> {
  const broken = await page.evaluate(`[...document.querySelectorAll('nav[aria-label="Screens"] a')]
    .filter((a) => {
      const range = document.createRange();
      range.selectNodeContents(a);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return tops.size > 1;
    })
    .map((a) => a.textContent)`);
  assert.deepEqual(broken, [], 'menu entries broken across lines');
}

/** Nothing on the page is wider than the viewport. */
async function fitsWidth(page: Page, what: string): Promise<void> {
  const width = page.viewportSize()!.width;
  const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide at ${width} px`);
}

/** Presses Tab until the control named `name` has the focus (at most 80 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      `(() => { const e = document.activeElement; return e?.getAttribute('aria-label') ?? e?.textContent?.trim() ?? ''; })()`,
    );
    if (focused === name) return;
  }
  assert.fail(`Tab never reached "${name}"`);
}

/** The tab with a virtual platform authenticator (resident keys, user verification), as a phone has. */
async function withAuthenticator(tab: Tab): Promise<Tab> {
  const cdp = await tab.page.context().newCDPSession(tab.page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return tab;
}

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { dayMs } from '../src/util/time.ts';
import {
  assertAccessible,
  type Browser,
  browserSuite,
  type ConsoleServer,
  harnessOf,
  launchBrowser,
  openFromMenu,
  openTab,
  screenshot,
  signInWithToken,
  startConsoleServer,
  type ViewportName,
} from './_browser.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import type { Harness } from './_util.ts';

// A first-time reviewer's walk through the console (after issue 17): names that stayed ids, pages
// wider than a phone, ids broken mid-token, homes that were the log, and small words. Each through
// the real pages at 390 and 1280 px.

// The functions given to page.evaluate run in the page; the test program has no DOM types.
declare const document: {
  documentElement: { scrollWidth: number };
  querySelectorAll(selector: string): ArrayLike<Box>;
  querySelector(selector: string): Box | null;
};
interface Box {
  textContent: string | null;
  title: string;
  children: ArrayLike<Box>;
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { left: number; top: number; height: number };
}
declare function getComputedStyle(element: Box): { whiteSpace: string; lineHeight: string; fontSize: string };

const widths: ViewportName[] = ['phone', 'desktop'];

/**
 * Run in the page before the console, to make the names race certain: the list of emergencies is
 * asked for only once the answer to the first request for names is in hand (the pending list drew
 * the authority's id and asked its name), and that answer is given to the console only when the
 * emergency list has drawn the same id, in the microtask right after: before that list's
 * components listen, since Preact runs effects after the next frame.
 */
const answerNamesOnceDrawnTwice = `
  const realFetch = window.fetch.bind(window);
  let namesIn;
  const namesArrived = new Promise((resolve) => { namesIn = resolve; });
  window.fetch = async (input, init) => {
    const url = String(input);
    if (/\\/v1\\/disclosures\\?.*emergency=true/.test(url)) {
      await namesArrived;
      return realFetch(input, init);
    }
    if (!url.includes('/v1/principals/names')) return realFetch(input, init);
    const body = await (await realFetch(input, init)).json();
    namesIn();
    await new Promise((resolve) => {
      const drawn = () => document.querySelectorAll('td[data-label="Authority"]').length >= 2;
      if (drawn()) return resolve();
      const observer = new MutationObserver(() => {
        if (!drawn()) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    return { ok: true, status: 200, json: async () => body };
  };
`;

browserSuite('the console as a first-time reviewer found it', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let h: Pick<Harness, 'call' | 'token' | 'ctx'>;
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let decidedCase: string;
  let openCase: string;
  let authority: string;
  let oversight: string;
  let emergency: string;

  before(async () => {
    server = await startConsoleServer();
    h = harnessOf(server);
    f = await conductFixture(h as Harness);
    authority = await h.token({ role: 'authority', jurisdiction: 'GB', name: 'DC Holmes' });
    oversight = await h.token({ role: 'oversight', name: 'Judge Rinder' });
    await bindReporters(h as Harness, f.world, ['alice', 'bob']);
    const file = async (reporter: string, category: string) => {
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: report(f.world, reporter, category),
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      return filed.body.caseId as string;
    };
    decidedCase = await file('alice', 'spreading_rumors');
    const decided = await h.call('POST', `/v1/cases/${decidedCase}/decision`, {
      token: f.moderator,
      body: {
        outcome: 'upheld',
        severity: 2,
        rationale: 'Started a run on the plaza bank with false claims',
        sanctions: [
          { kind: 'restriction', actions: ['travel.air'], days: 30 },
          { kind: 'mute', world: f.world, days: 7, reason: 'A week to cool down' },
        ],
      },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    openCase = await file('bob', 'harassment');

    const ask = async (body: Record<string, unknown>) => {
      const asked = await h.call('POST', '/v1/disclosures', { token: authority, body });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      return asked.body.id as string;
    };
    const expiresAt = new Date(Date.now() + 30 * dayMs).toISOString();
    // An emergency, granted at once with its review due: the longest status a disclosure has.
    emergency = await ask({
      target: { world: f.world, handle: 'tom' },
      scope: ['natural'],
      legalBasis: { kind: 'emergency', reference: 'INCIDENT-7731', issuedBy: 'Duty inspector', expiresAt },
      offence: 'harassment',
      purpose: 'Threats of violence against a named person tonight',
      case: openCase,
    });
    await ask({
      target: { world: f.world, handle: 'tom' },
      scope: ['natural'],
      legalBasis: { kind: 'warrant', reference: 'W-1', issuedBy: 'Plaza Magistrates', expiresAt },
      offence: 'spreading_rumors',
      purpose: 'Identify who started the rumour of a run on the plaza bank',
      case: decidedCase,
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The page fits its screen: nothing scrolls sideways. */
  async function fits(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    const width = page.viewportSize()?.width ?? 0;
    assert.ok(wide <= width, `${name}: the page is ${wide} px wide on a ${width} px screen`);
  }

  /** Every id shown as one (code.ref) is on one line, whole or cut with its whole self as title. */
  async function idsWhole(page: Page, where: string): Promise<number> {
    const ids = await page.evaluate(() =>
      Array.from(document.querySelectorAll('main code.ref')).map((e) => ({
        text: e.textContent ?? '',
        title: e.title,
        height: e.getBoundingClientRect().height,
        fontSize: Number.parseFloat(getComputedStyle(e).fontSize),
        cut: e.scrollWidth > e.clientWidth,
      })),
    );
    for (const id of ids) {
      assert.ok(id.height < id.fontSize * 2, `${where}: ${id.text} is on more than one line`);
      assert.equal(id.title, id.text, `${where}: ${id.text} has itself as title`);
    }
    return ids.length;
  }

  /** The text of each Authority cell of the page's tables, as shown. */
  async function authorities(page: Page): Promise<string[]> {
    return page.locator('td[data-label="Authority"]').allTextContents();
  }

  for (const viewport of widths) {
    test(`[${viewport}] oversight's queue and list: the authority by name beside its country, statuses that wrap`, async () => {
      const tab = await signInWithToken(browser, server.base, oversight, { home: '/oversight', viewport });
      const { page } = tab;
      await page.getByRole('heading', { name: 'Emergency disclosures to review' }).waitFor();
      await page.locator('td[data-label="Authority"]').nth(1).getByText('DC Holmes (GB)').waitFor();
      assert.deepEqual(await authorities(page), ['DC Holmes (GB)', 'DC Holmes (GB)']);
      assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /prn_/);
      // The name and its country are one item of the card's grid, beside the label, not under it.
      const cells = await page.evaluate(() =>
        Array.from(document.querySelectorAll('td[data-label="Authority"]')).map((td) => ({
          items: td.children.length,
          left: td.children[0]!.getBoundingClientRect().left - td.getBoundingClientRect().left,
        })),
      );
      for (const cell of cells) {
        assert.equal(cell.items, 1);
        if (viewport === 'phone') assert.ok(cell.left > 100, `beside the label: ${cell.left} px in`);
      }
      await page.locator('.status', { hasText: 'review due' }).waitFor();
      await fits(page, 'layout-oversight-queue');
      assert.ok((await idsWhole(page, 'the queue')) >= 2);
      await assertAccessible(page, `oversight's queue at ${viewport}`);

      await openFromMenu(page, 'Disclosures');
      await page.waitForURL(`${server.base}/disclosures`);
      await page.locator('.status', { hasText: 'review due' }).waitFor();
      const badge = page.locator('.status', { hasText: 'review due' });
      if (viewport === 'phone') {
        // Wrapped over lines within the card rather than widening the page.
        const lines = await badge.evaluate((e) => {
          const box = e as unknown as Box;
          return box.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(box).lineHeight);
        });
        assert.ok(lines >= 1.5, `the status wraps (${lines} lines)`);
      }
      await fits(page, 'layout-oversight-disclosures');
      await idsWhole(page, 'the disclosures');
      assert.deepEqual(tab.errors, []);
      await page.close();
    });

    test(`[${viewport}] the authority's list fits; a disclosure's case is an id that says whose it is`, async () => {
      const tab = await signInWithToken(browser, server.base, authority, { home: '/disclosures', viewport });
      const { page } = tab;
      await page.locator('.status', { hasText: 'review due' }).waitFor();
      await fits(page, 'layout-authority-disclosures');
      await idsWhole(page, 'the authority’s disclosures');
      await page.getByRole('link', { name: emergency }).click();
      await page.waitForURL(`${server.base}/disclosures/${emergency}`);
      const caseField = page
        .locator('.facts dd')
        .filter({ has: page.locator('code.ref', { hasText: openCase }) });
      await caseField.getByText('a moderators’ case').waitFor();
      // No link to a screen this role cannot open.
      assert.equal(await caseField.getByRole('link').count(), 0);
      await fits(page, 'layout-disclosure-case');
      await assertAccessible(page, `a disclosure at ${viewport}`);
      assert.deepEqual(tab.errors, []);
      await page.close();
    });

    test(`[${viewport}] sanctions and cases keep their ids whole and fit the screen`, async () => {
      const admin = await h.token({ role: 'admin', name: `Admin ${viewport}` });
      const tab = await signInWithToken(browser, server.base, admin, { home: '/dashboard', viewport });
      const { page } = tab;
      await openFromMenu(page, 'Sanctions');
      await page.locator('td[data-label="Subject"]').first().waitFor();
      const subjects = await page.locator('td[data-label="Subject"] code.ref').allTextContents();
      assert.ok(subjects.length >= 2 && subjects.every((s) => s === f.tom), subjects.join(', '));
      assert.ok((await idsWhole(page, 'the sanctions')) >= 4);
      await fits(page, 'layout-sanctions');
      await assertAccessible(page, `sanctions at ${viewport}`);

      await openFromMenu(page, 'Cases');
      await page.locator('td[data-label="Case"]', { hasText: openCase }).waitFor();
      assert.ok((await idsWhole(page, 'the cases')) >= 1);
      await fits(page, 'layout-cases');
      assert.deepEqual(tab.errors, []);
      await page.close();
    });
  }

  test('a name that arrives while a list is still drawing is shown (the names race)', async () => {
    // The page's fetch is wrapped to order the race (see answerNamesOnceDrawnTwice).
    const tab = await openTab(browser, 'desktop');
    const { page } = tab;
    await page.addInitScript({ content: answerNamesOnceDrawnTwice });
    await page.goto(server.base);
    await page.getByLabel('Token').fill(oversight);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${server.base}/oversight`);
    await page.locator('td[data-label="Authority"]').nth(1).waitFor();
    await page.getByText('DC Holmes (GB)').nth(1).waitFor();
    assert.deepEqual(await authorities(page), ['DC Holmes (GB)', 'DC Holmes (GB)']);

    // Names known before a screen mounts show at once: another screen with the same authority.
    await openFromMenu(page, 'Disclosures');
    await page.locator('td[data-label="Authority"]').nth(1).waitFor();
    assert.deepEqual(await authorities(page), ['DC Holmes (GB)', 'DC Holmes (GB)']);
    assert.deepEqual(tab.errors, []);
    await page.close();
  });

  test('a platform lands on its avatars and a service on eligibility, first in their menus', async () => {
    for (const [token, home, first] of [
      [f.platform, '/world', 'Avatars'],
      [f.airline, '/eligibility', 'Eligibility'],
    ] as const) {
      const tab = await signInWithToken(browser, server.base, token, { home, viewport: 'desktop' });
      const menu = tab.page.getByRole('navigation', { name: 'Screens' }).getByRole('link');
      assert.equal(await menu.first().textContent(), first);
      await tab.page.close();
    }
  });

  test('small words: one report, a closure without a reason chosen', async () => {
    const subject = await signInWithToken(browser, server.base, f.subject, {
      home: '/me',
      viewport: 'phone',
    });
    const main = subject.page.locator('main');
    await main.getByText(`Case ${decidedCase}`).waitFor();
    const text = (await main.textContent()) ?? '';
    assert.match(text, /on 1 report(?![s(])/);
    assert.doesNotMatch(text, /report\(s\)/);
    await subject.page.close();

    const tab = await signInWithToken(browser, server.base, f.registrar, {
      home: '/enrol',
      viewport: 'phone',
    });
    const { page } = tab;
    await openFromMenu(page, 'Closures');
    const reason = page.getByLabel('Reason');
    assert.equal(await reason.inputValue(), '');
    assert.equal(await reason.getAttribute('required'), '');
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/closure')) sent.push(request.url());
    });
    await page.getByLabel('Digital ID').fill(f.tom);
    await page.getByRole('button', { name: 'Close and schedule erasure' }).click();
    // The browser holds the form back: the reason is missing, and nothing is sent.
    assert.equal(
      await reason.evaluate((e) => (e as unknown as { validity: { valid: boolean } }).validity.valid),
      false,
    );
    assert.deepEqual(sent, []);
    await assertAccessible(page, 'closures at phone');
    await page.close();
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  axeViolations,
  type Browser,
  browserSuite,
  launchBrowser,
  openTab,
  screenshot,
  type Tab,
  type ViewportName,
} from './_browser.ts';
import { unseenFocus } from './_focus.ts';
import { type PopulatedConsole, populatedConsole, roles } from './_populated-console.ts';

// The functions given to page.evaluate run in the page; the test program has no DOM types, so the
// little they use is declared here.
declare const document: {
  querySelector(selector: string): object | null;
  body: { textContent: string | null };
};
declare function requestAnimationFrame(callback: (time: number) => void): number;

/**
 * axe-core on every screen of every role, at a phone's and a desktop's width, on a store with a
 * population. The screens come from the console itself: each role's menu as the page renders it,
 * and from each list the first link to a screen below it (a case, a disclosure), so a screen added
 * to console/src/screens.tsx is checked without a line here. Screenshots: test-artifacts/
 * `<role>-<screen>-<width>.png`. On each, every control must show the keyboard's focus. The keyboard alone fills the sign-in form and a moderator's
 * decision (test/console-keyboard.test.ts).
 */

browserSuite(
  'accessibility of every screen of every role (axe-core in Chromium)',
  () => {
    let populated: PopulatedConsole;
    let browser: Browser;

    before(async () => {
      populated = await populatedConsole();
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await populated?.server.close();
    });

    for (const viewport of ['phone', 'desktop'] as const) {
      test(`the sign-in page at the ${viewport}'s width`, async () => {
        const tab = await openTab(browser, viewport);
        await tab.page.goto(populated.server.base);
        await tab.page.getByLabel('Token').waitFor();
        await screenshot(tab.page, 'sign-in');
        await assertAccessible(tab.page, `the sign-in page (${viewport})`);
        assert.deepEqual(tab.errors, [], 'the page logged errors');
        await tab.page.close();
      });

      for (const role of roles) {
        test(`every screen of the ${role} at the ${viewport}'s width`, async () => {
          const tab = await signIn(browser, populated.server.base, populated.tokens[role], viewport);
          const visited = await visitEveryScreen(tab, {
            base: populated.server.base,
            role,
            details: populated.details,
          });
          assert.ok(visited.menu.length > 0, `the ${role} has no screen in the menu`);
          assert.deepEqual(
            visited.problems,
            [],
            `the ${role}'s screens (${viewport}): axe-core, focus, headings`,
          );
          assert.deepEqual(tab.errors, [], 'the page logged errors');
          await tab.page.close();
        });
      }
    }

    for (const viewport of ['phone', 'desktop'] as const) {
      test(`what screens show only after an act, at the ${viewport}'s width`, async () => {
        const { base } = populated.server;
        // A refused sign-in: the error box.
        const refused = await openTab(browser, viewport);
        await refused.page.goto(base);
        await refused.page.getByLabel('Token').fill('mdis_not_a_token');
        await refused.page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await refused.page.getByRole('alert').waitFor();
        await screenshot(refused.page, 'sign-in-refused');
        await assertAccessible(refused.page, `the refused sign-in (${viewport})`);
        await refused.page.close();
        // The log verified in the browser: its steps.
        const auditor = await signIn(browser, base, populated.tokens.auditor, viewport);
        await show(auditor.page, base, '/log');
        await auditor.page.getByRole('button', { name: 'Verify the log' }).click();
        await auditor.page.locator('.steps li').first().waitFor();
        await auditor.page.getByRole('button', { name: 'Verify the log' }).waitFor();
        await screenshot(auditor.page, 'auditor-log-verified');
        await assertAccessible(auditor.page, `the verified log (${viewport})`);
        assert.deepEqual(auditor.errors, [], 'the page logged errors');
        await auditor.page.close();
        // A credential offer: its QR code and link.
        const subject = await signIn(browser, base, populated.tokens.subject, viewport);
        await show(subject.page, base, '/me/credentials');
        await subject.page.getByRole('button', { name: 'Make an offer for my wallet' }).click();
        await subject.page.locator('svg.qr').waitFor();
        await screenshot(subject.page, 'subject-credential-offer');
        await assertAccessible(subject.page, `the credential offer (${viewport})`);
        assert.deepEqual(subject.errors, [], 'the page logged errors');
        await subject.page.close();
      });
    }

    test('every chart says in words what it draws', async () => {
      const labels: string[] = [];
      for (const [role, path] of [
        ['admin', '/dashboard'],
        ['subject', '/me/score'],
      ] as const) {
        const tab = await signIn(browser, populated.server.base, populated.tokens[role], 'desktop');
        await show(tab.page, populated.server.base, path);
        for (const chart of await tab.page.locator('figure [role="img"]').all()) {
          labels.push((await chart.getAttribute('aria-label')) ?? '');
        }
        await tab.page.close();
      }
      assert.ok(labels.length >= 3, `charts found: ${labels.length}`);
      // A title alone is not the chart: its label names numbers it shows.
      for (const label of labels) assert.match(label, /^[^:]+: .*\d/);
    });

    test('the lists lead to the detail screens the fixture made', async () => {
      // Without this, a list that showed no links would pass the axe runs above unchecked.
      const seen = new Set<string>();
      for (const role of ['moderator', 'authority', 'oversight', 'auditor'] as const) {
        const tab = await signIn(browser, populated.server.base, populated.tokens[role], 'desktop');
        for (const path of await menuOf(tab.page)) {
          await show(tab.page, populated.server.base, path);
          for (const link of await detailLinks(tab.page, [path])) seen.add(link.split('/')[1]!);
        }
        await tab.page.close();
      }
      assert.ok(seen.has('cases'), 'no list led to a case');
      assert.ok(seen.has('disclosures'), 'no list led to a disclosure');
    });
  },
  900_000,
);

/** Signs in with a token and waits for the menu (the role's home differs from role to role). */
async function signIn(browser: Browser, base: string, token: string, viewport: ViewportName): Promise<Tab> {
  const tab = await openTab(browser, viewport);
  await tab.page.goto(base);
  await tab.page.getByLabel('Token').fill(token);
  await tab.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // The menu's links, or the button that unfolds them (a phone's menu may be folded).
  await tab.page.locator('header nav a, header button[aria-expanded]').first().waitFor({ state: 'attached' });
  return tab;
}

/** The paths of the menu as rendered (links may be folded away on a phone: read them anyway). */
async function menuOf(page: Page): Promise<string[]> {
  const read = () =>
    page.$$eval('header nav a', (links) =>
      links.map((link) => new URL((link as { href: string }).href).pathname),
    );
  const paths = await read();
  const fold = page.locator('header button[aria-expanded="false"]');
  if (paths.length > 0 || (await fold.count()) === 0) return paths;
  await fold.first().click();
  return read();
}

/** Links in the screen to a path below one of `under` that is not itself in the menu. */
async function detailLinks(page: Page, under: string[], menu: string[] = under): Promise<string[]> {
  const hrefs = await page.$$eval('main a[href]', (links) =>
    links.map((link) => new URL((link as { href: string }).href)).map((url) => url.pathname),
  );
  return hrefs.filter((href) => under.some((path) => href.startsWith(`${path}/`)) && !menu.includes(href));
}

/**
 * Opens `path` and waits until it has loaded: its heading shown, nothing still loading. A screen
 * with no h1, or still loading after 15 s, is a problem to report (the screen is checked anyway).
 */
async function show(page: Page, base: string, path: string): Promise<string | undefined> {
  await page.goto(`${base}${path}`);
  let problem: string | undefined;
  try {
    await page.waitForFunction(
      // screenBusy, inline: a function sent to the page cannot call one of this module.
      () =>
        document.querySelector('main h1') !== null &&
        document.querySelector('.loading, [aria-busy="true"]') === null &&
        !/\bLoading\b|Checking your sign-in/.test(document.body.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
  } catch {
    problem = (await page.evaluate(screenBusy))
      ? `${path}: still loading after 15 s`
      : `${path}: no h1 (each screen names itself with one)`;
  }
  // Charts follow their container's width a frame after it is known.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  return problem;
}

/** In the page: whether the screen still says it is loading. */
function screenBusy(): boolean {
  return (
    document.querySelector('.loading, [aria-busy="true"]') !== null ||
    /\bLoading\b|Checking your sign-in/.test(document.body.textContent ?? '')
  );
}

function slug(path: string): string {
  return path.replace(/^\/+/, '').replace(/\//g, '-') || 'home';
}

/**
 * Every menu screen of the signed-in role, then the first detail screen each list leads to and the
 * fixture's own (a decided and an open case, a granted and a pending disclosure) under its menu: a
 * screenshot, axe-core's serious and critical violations and the controls whose focus cannot be
 * seen, of each, all collected before failing.
 */
async function visitEveryScreen(
  tab: Tab,
  options: { base: string; role: string; details: { name: string; path: string }[] },
): Promise<{ menu: string[]; problems: string[] }> {
  const menu = await menuOf(tab.page);
  const problems: string[] = [];
  const check = async (path: string, name: string) => {
    const unloaded = await show(tab.page, options.base, path);
    if (unloaded !== undefined) problems.push(unloaded);
    await screenshot(tab.page, `${options.role}-${name}`);
    for (const v of await axeViolations(tab.page)) {
      problems.push(`${path}: ${v.id} (${v.impact}) ${v.help} at ${v.targets.slice(0, 3).join(', ')}`);
    }
    for (const unseen of await tab.page.evaluate(unseenFocus, true))
      problems.push(`${path}: focus of ${unseen}`);
  };
  const details = options.details.filter((d) => menu.some((path) => d.path.startsWith(`${path}/`)));
  for (const path of menu) {
    await check(path, slug(path));
    const [first] = await detailLinks(tab.page, [path], menu);
    if (first !== undefined && !details.some((d) => d.path === first)) {
      details.push({ name: `${slug(path)}-detail`, path: first });
    }
  }
  for (const detail of details) await check(detail.path, detail.name);
  return { menu, problems };
}

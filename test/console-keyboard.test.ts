import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  type Browser,
  browserSuite,
  launchBrowser,
  openTab,
  screenshot,
  signInWithToken,
} from './_browser.ts';
import { unseenFocus } from './_focus.ts';
import { type PopulatedConsole, populatedConsole } from './_populated-console.ts';
import { call } from './_util.ts';

// The functions given to page.evaluate run in the page; the test program has no DOM types, so the
// little they use is declared here.
interface PageElement {
  tagName: string;
  textContent: string | null;
  value: string;
  min: string;
  matches(selector: string): boolean;
  blur(): void;
}
declare const document: { activeElement: PageElement | null };

/**
 * The console by keyboard alone: page.keyboard only (Tab, typing, Space, Enter), no clicks and no
 * fills. The sign-in form, then a moderator's decision with a sanction (radios, a number, a text
 * area, a button that adds fields, a select, a submit); every control that takes the focus on the
 * way must show it (test/_focus.ts).
 */

browserSuite('the console by keyboard alone', () => {
  let populated: PopulatedConsole;
  let browser: Browser;

  before(async () => {
    populated = await populatedConsole({ subjects: 20, events: 200, seed: 5 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await populated?.server.close();
  });

  for (const viewport of ['phone', 'desktop'] as const) {
    test(`signing in with a token by keyboard at the ${viewport}'s width`, async () => {
      const { base } = populated.server;
      const tab = await openTab(browser, viewport);
      await tab.page.goto(base);
      await tab.page.getByLabel('Token').waitFor();
      const stops = await tabTo(tab.page, 'input[name="token"]');
      assert.ok(
        stops.some((s) => s.tag === 'button'),
        'no button took the focus before the token field',
      );
      assert.ok(
        stops.some((s) => s.tag === 'a'),
        'no link took the focus before the token field',
      );
      await tab.page.keyboard.type(populated.tokens.auditor);
      await tabTo(tab.page, 'button[type="submit"]');
      await tab.page.keyboard.press('Enter');
      await tab.page.locator('header nav').waitFor({ state: 'attached' });

      // From the top of the signed-in page to Sign out: every link of the header, on its colour.
      await tab.page.evaluate(() => document.activeElement?.blur());
      if (viewport === 'phone') {
        // On a phone the long menu folds behind its button: Enter opens it, its links come next.
        await tabTo(tab.page, 'header button', (text) => text.startsWith('Menu'));
        await tab.page.keyboard.press('Enter');
      }
      const header = await tabTo(tab.page, 'header button', (text) => text === 'Sign out');
      assert.ok(header.filter((stop) => stop.tag === 'a').length >= 2, 'the header offered no links');
      await screenshot(tab.page, 'keyboard-menu-focus');
      assert.deepEqual(tab.errors, [], 'the page logged errors');
      await tab.page.close();
    });
  }

  test('a moderator decides a case by keyboard: upheld, severity, rationale, a sanction', async () => {
    const { base, app } = populated.server;
    const tab = await signInWithToken(browser, base, populated.tokens.moderator, { home: '/cases' });
    const page = tab.page;
    await page.goto(`${base}/cases/${populated.openCase}`);
    await page.getByRole('heading', { name: 'Decide' }).waitFor();

    await tabTo(page, 'input[name="outcome"]');
    await page.keyboard.press('Space');
    assert.equal(await page.evaluate(() => document.activeElement!.value), 'upheld');
    // The severity's range comes from the decision preview: wait until the label names it.
    await page.getByLabel(/Severity \(\d+–\d+ for/).waitFor();
    await tabTo(page, 'input[name="severity"]');
    const min = await page.evaluate(() => document.activeElement!.min);
    await page.keyboard.type(min);
    await tabTo(page, 'textarea[name="rationale"]');
    await page.keyboard.type('Threats repeated after a warning, as the reports show');
    await tabTo(page, 'button:not([type="submit"])', (text) => text === 'Add a sanction');
    await page.keyboard.press('Space');
    await tabTo(page, 'select[name="sanction-1-kind"]');
    assert.equal(await page.evaluate(() => document.activeElement!.value), 'restriction');
    await tabTo(page, 'input[name="sanction-1-actions"]');
    await page.keyboard.type('travel.rail');
    await tabTo(page, 'input[name="sanction-1-days"]');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('14');
    await screenshot(page, 'keyboard-decision-form');
    await assertAccessible(page, 'the decision form, filled');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');

    // The case shows its decision once it is recorded (the button says "Deciding…" meanwhile).
    await page.locator('.facts .status', { hasText: 'decided' }).waitFor();
    const decided = await call(app, 'GET', `/v1/cases/${populated.openCase}`, {
      token: populated.tokens.moderator,
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    assert.equal(decided.body.status, 'decided');
    assert.equal(decided.body.decision.outcome, 'upheld');
    assert.equal(decided.body.decision.severity, Number(min));
    const sanctions = await call(app, 'GET', `/v1/sanctions?subject=${decided.body.subject}`, {
      token: populated.tokens.moderator,
    });
    const restriction = sanctions.body.items.find(
      (s: { kind: string; caseId?: string }) => s.kind === 'restriction' && s.caseId === populated.openCase,
    );
    assert.ok(restriction !== undefined, JSON.stringify(sanctions.body));
    assert.deepEqual(restriction.actions, ['travel.rail']);
    assert.deepEqual(tab.errors, [], 'the page logged errors');
    await page.close();
  });
});

interface Stop {
  tag: string;
  text: string;
}

/**
 * Presses Tab until the focused element matches `selector` (and `text`, on its text), checking on
 * the way that each control shows the focus; returns the stops, the last one included.
 */
async function tabTo(page: Page, selector: string, text?: (text: string) => boolean): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement;
      return { tag: element?.tagName.toLowerCase() ?? '', text: element?.textContent?.trim() ?? '' };
    });
    stops.push(stop);
    assert.deepEqual(await page.evaluate(unseenFocus, false), [], 'the focus cannot be seen');
    const found = await page.evaluate((s) => document.activeElement?.matches(s) === true, selector);
    if (found && (text === undefined || text(stop.text))) return stops;
  }
  assert.fail(`Tab never reached ${selector}: ${stops.map((s) => `${s.tag} "${s.text}"`).join(', ')}`);
}

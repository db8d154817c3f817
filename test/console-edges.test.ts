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
  screenshot,
  signInWithToken,
  startConsoleServer,
  type Tab,
  unfoldMenu,
  type ViewportName,
} from './_browser.ts';
import { bindReporters, conductFixture, report } from './_fixtures.ts';
import { type Harness, organisationEnrolment, personEnrolment } from './_util.ts';

// Issue 17, "the rough edges", each through the real console at 390 and 1280 px: the offence from
// the policy's list, a disclosed identity as labelled fields, principals by name, the sanctions
// of every subject with a subject column and "until lifted", the score histogram's linear axis,
// the admin menu on a phone, long pages that page or fold, plurals, and the log's page bounds.

const widths: ViewportName[] = ['phone', 'desktop'];

browserSuite('the console’s rough edges (issue 17)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let h: Pick<Harness, 'call' | 'token' | 'ctx'>;
  let f: Awaited<ReturnType<typeof conductFixture>>;
  let caseId: string;
  let admin: string;
  let authority: string;
  let oversight: string;
  const moderatorName = 'Mo Derator';
  const tabs: Tab[] = [];

  before(async () => {
    server = await startConsoleServer();
    h = harnessOf(server);
    f = await conductFixture(h as Harness);
    admin = await h.token({ role: 'admin', name: 'Operator' });
    authority = await h.token({ role: 'authority', jurisdiction: 'GB', name: 'DC Holmes' });
    oversight = await h.token({ role: 'oversight', name: 'Judge Rinder' });
    const moderator = await h.token({ role: 'moderator', name: moderatorName });

    // Tom's case, decided upheld with an open-ended ban and a week's mute.
    await bindReporters(h as Harness, f.world, ['alice', 'bob']);
    for (const reporter of ['alice', 'bob']) {
      const filed = await h.call('POST', '/v1/reports', {
        token: f.platform,
        body: report(f.world, reporter),
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      caseId = filed.body.caseId;
    }
    const decided = await h.call('POST', `/v1/cases/${caseId}/decision`, {
      token: moderator,
      body: {
        outcome: 'upheld',
        severity: 3,
        rationale: 'Started a run on the plaza bank with false claims',
        sanctions: [
          { kind: 'ban', reason: 'Repeated, deliberate rumours' },
          { kind: 'mute', world: f.world, days: 7, reason: 'A week to cool down' },
        ],
      },
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));

    // Tom's good deeds: more contributions than the score page shows at once.
    const events = Array.from({ length: 12 }, (_, i) => ({
      id: `help-${i}`,
      world: f.world,
      handle: 'tom',
      category: 'helping_others',
      severity: 1,
      occurredAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
    }));
    const sent = await h.call('POST', '/v1/events', { token: f.platform, body: { events } });
    assert.equal(sent.body.accepted, 12, JSON.stringify(sent.body));

    // Others across several score bands, and enough warnings to fill more than a page of sanctions.
    for (let i = 0; i < 22; i++) {
      const body = i % 2 === 0 ? personEnrolment() : organisationEnrolment();
      const enrolled = await h.call('POST', '/v1/subjects', { token: f.registrar, body });
      const warned = await h.call('POST', '/v1/sanctions', {
        token: moderator,
        body: { subject: enrolled.body.id, kind: i < 4 ? 'ban' : 'warning', reason: `Warning ${i}` },
      });
      assert.equal(warned.status, 201, JSON.stringify(warned.body));
      // And an open case each: more than a page of cases.
      await server.ctx.avatars.bind(
        { world: f.world, handle: `user${i}`, subject: enrolled.body.id },
        'test',
      );
      const reported = { ...report(f.world, 'alice', i % 2 === 0 ? 'spam' : 'cheating'), handle: `user${i}` };
      const filed = await h.call('POST', '/v1/reports', { token: f.platform, body: reported });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(token: string, home: string, viewport: ViewportName): Promise<Tab> {
    const tab = await signInWithToken(browser, server.base, token, { home, viewport });
    tabs.push(tab);
    return tab;
  }

  async function shown(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    await assertAccessible(page, `${name} at ${page.viewportSize()?.width} px`);
    const wide = Number(await page.evaluate('document.documentElement.scrollWidth'));
    const width = page.viewportSize()?.width ?? 0;
    assert.ok(wide <= width, `${name}: the page is ${wide} px wide on a ${width} px screen`);
  }

  /** Presses Tab until the control named `name` has the focus: the keyboard alone gets there. */
  async function tabTo(page: Page, name: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate('document.activeElement?.getAttribute("name")')) === name) return;
    }
    assert.fail(`Tab never reached ${name}`);
  }

  for (const viewport of widths) {
    test(`[${viewport}] the authority chooses the offence from the policy's categories; the identity shows as fields`, async () => {
      const tab = await signIn(authority, '/disclosures', viewport);
      const { page } = tab;
      await page.goto(`${server.base}/disclosures/new`);
      const offence = page.getByLabel('Offence');
      await offence.locator('option', { hasText: 'Spreading rumors' }).waitFor({ state: 'attached' });
      const options = await offence
        .locator('option')
        .evaluateAll((all) => all.map((o) => [(o as unknown as { value: string }).value, o.textContent]));
      // Labels shown, names sent; only the categories that disclosure may follow.
      assert.deepEqual(options[0], ['', 'Choose an offence']);
      assert.ok(
        options.some(([value, label]) => value === 'spreading_rumors' && label === 'Spreading rumors'),
      );
      assert.ok(
        !options.some(([value]) => value === 'disruption'),
        'the policy lets no disclosure follow it',
      );
      assert.ok(options.every(([value]) => !String(value).includes(' ')));
      await page.getByLabel('A digital ID').check();
      await page.getByLabel('Digital ID', { exact: true }).fill(f.tom);
      await offence.selectOption({ label: 'Spreading rumors' });
      await page.getByText('Legal bases: warrant, court order').waitFor();
      await page.getByLabel('Case').fill(caseId);
      await page.getByLabel('Reference').fill(`W-2026-${viewport}`);
      await page.getByLabel('Issued by').fill('Westminster Magistrates');
      await page
        .getByLabel('Valid until')
        .fill(new Date(Date.now() + 365 * dayMs).toISOString().slice(0, 16));
      await page.getByLabel('Purpose').fill('Identify who started the run on the plaza bank');
      await shown(page, 'edges-new-disclosure');
      await page.getByRole('button', { name: 'File the request' }).click();
      await page.waitForURL(/\/disclosures\/dsc_/);
      const id = page.url().split('/').at(-1)!;
      const sent = await h.call('GET', `/v1/disclosures/${id}`, { token: oversight });
      assert.equal(sent.body.offence, 'spreading_rumors', 'the snake_case name was sent');

      const approved = await h.call('POST', `/v1/disclosures/${id}/approve`, {
        token: oversight,
        body: { reason: 'The warrant is in order' },
      });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      await page.reload();
      const natural = page.getByRole('region', { name: 'Natural identity' });
      await natural.locator('dt', { hasText: 'Legal name' }).waitFor();
      await natural.locator('dd', { hasText: 'Thomas Example' }).first().waitFor();
      await natural.locator('dt', { hasText: 'Issuing country' }).waitFor();
      await natural.locator('dt', { hasText: 'Birth date' }).waitFor();
      assert.equal(await page.locator('pre').count(), 0, 'no raw JSON');
      // Who asked and who decided, by name.
      await page.locator('.facts', { hasText: 'by Judge Rinder' }).waitFor();
      await page.locator('.facts', { hasText: 'by DC Holmes' }).waitFor();
      assert.doesNotMatch(String(await page.locator('main').textContent()), /prn_/);
      await shown(page, 'edges-disclosure-identity');

      // A preservation order's offence too: any conduct category, by label.
      await openFromMenu(page, 'Preservations');
      const preserved = page.getByLabel('Offence');
      await preserved.locator('option', { hasText: 'Disruption' }).waitFor({ state: 'attached' });
      const values = await preserved
        .locator('option')
        .evaluateAll((all) => all.map((o) => (o as unknown as { value: string }).value));
      assert.ok(values.includes('disruption') && values.includes('spreading_rumors'), String(values));
      assert.ok(!values.includes('volunteering'), 'good conduct is no offence');
      await shown(page, 'edges-preservations');
      assert.deepEqual(tab.errors, []);
    });

    test(`[${viewport}] every subject's sanctions: a subject column, "until lifted", names, pages`, async () => {
      const tab = await signIn(admin, '/dashboard', viewport);
      const { page } = tab;
      await page.goto(`${server.base}/sanctions`);
      const table = page.locator('table', { has: page.locator('caption', { hasText: 'Sanctions' }) });
      await table.locator('tbody tr').first().waitFor();
      // A phone shows each row as a card of labelled cells: the column is its cells' label.
      await table.locator('td[data-label="Subject"]', { hasText: /^MD/ }).first().waitFor();
      assert.equal(await table.locator('tbody tr').count(), 20);
      const bans = table.locator('tbody tr', { hasText: 'ban' });
      assert.match(
        String(await bans.first().locator('td[data-label="Until"]').textContent()),
        /^until lifted$/,
      );
      assert.equal(await table.getByText(/^lifted$/).count(), 0, 'an open-ended sanction is not "lifted"');
      await table.locator('td[data-label="Imposed by"]', { hasText: moderatorName }).first().waitFor();
      assert.doesNotMatch(String(await page.locator('main').textContent()), /prn_/);
      // The first page has no previous; the second, the last, no next.
      const pager = page.getByRole('navigation', { name: 'Sanctions pages' });
      assert.equal(await pager.getByRole('button', { name: '← Previous' }).count(), 0);
      await shown(page, 'edges-sanctions');
      await pager.getByRole('button', { name: 'Next →' }).click();
      await pager.getByText('Page 2').waitFor();
      await pager.getByRole('button', { name: '← Previous' }).waitFor();
      // The rest, Tom's among them, on the second page (the first page's rows stay until they come).
      const all = await h.call('GET', '/v1/sanctions?limit=100', { token: admin });
      assert.ok(all.body.items.length > 20 && all.body.items.length < 40);
      await table.locator('td[data-label="Subject"]', { hasText: f.tom }).first().waitFor();
      assert.equal(await pager.getByRole('button', { name: 'Next →' }).count(), 0);
      assert.equal(await table.locator('tbody tr').count(), all.body.items.length - 20);
      const week = table.locator('tbody tr', { hasText: 'mute' });
      assert.doesNotMatch(String(await week.locator('td[data-label="Until"]').textContent()), /lifted/);

      // The filter form by keyboard alone: one subject's sanctions, and then no subject column.
      await page.goto(`${server.base}/sanctions`);
      await table.locator('tbody tr').first().waitFor();
      await tabTo(page, 'subject');
      await page.keyboard.type(f.tom);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/subject=/);
      await table.locator('tbody tr', { hasText: 'mute' }).waitFor();
      assert.equal(await table.locator('td[data-label="Subject"]').count(), 0);
      assert.deepEqual(tab.errors, []);
    });

    test(`[${viewport}] the score histogram: a linear axis, empty bands, labels apart; the menu whole`, async () => {
      const tab = await signIn(admin, '/dashboard', viewport);
      const { page } = tab;
      const figure = page.locator('figure', { hasText: 'Score histogram' });
      await figure.locator('canvas').first().waitFor();
      const label = String(await figure.locator('[role=img]').getAttribute('aria-label'));
      // Every band from 0 to 1300, the empty ones too.
      const bands = label.split(': ').slice(1).join(': ').split(', ');
      assert.equal(bands.length, 27, label);
      assert.ok(bands.includes('0–49: 0'), label);
      assert.ok(bands.filter((b) => !b.endsWith(': 0')).length >= 2, `several bands hold subjects: ${label}`);
      const ticks = JSON.parse(String(await figure.locator('.uplot').getAttribute('data-ticks'))) as {
        label: string;
        x: number;
        width: number;
      }[];
      assert.ok(ticks.length >= 3, JSON.stringify(ticks));
      const steps = ticks.slice(1).map((t, i) => Number(t.label) - Number(ticks[i]!.label));
      assert.ok(
        steps.every((s) => s === steps[0]),
        `round, even steps: ${steps}`,
      );
      for (let i = 1; i < ticks.length; i++) {
        const [a, b] = [ticks[i - 1]!, ticks[i]!];
        // Linear: the same distance per point everywhere; apart: no two labels meet.
        const perPoint = (b.x - a.x) / (Number(b.label) - Number(a.label));
        const first = (ticks[1]!.x - ticks[0]!.x) / steps[0]!;
        assert.ok(Math.abs(perPoint - first) < 0.01, `linear at ${b.label}`);
        assert.ok(b.x - a.x >= (a.width + b.width) / 2 + 4, `${a.label} and ${b.label} overlap`);
      }
      // "agencies", not "agencys".
      const kinds = await page.getByLabel('Subjects who are').locator('option').allTextContents();
      assert.deepEqual(kinds, ['persons', 'organisations', 'agencies']);
      // The menu: every entry on one line, none broken inside its word.
      await unfoldMenu(page);
      const entries = await page
        .getByRole('navigation', { name: 'Screens' })
        .getByRole('link')
        .evaluateAll((links) =>
          // One box per line the text takes: a word broken over two lines has two.
          links.map((a) => {
            const range = a.ownerDocument.createRange();
            range.selectNodeContents(a);
            return [a.textContent, range.getClientRects().length];
          }),
        );
      assert.ok(entries.length >= 6);
      for (const [name, lines] of entries) assert.equal(lines, 1, `${name} is broken over ${lines} lines`);
      await shown(page, 'edges-dashboard');
      assert.deepEqual(tab.errors, []);
    });

    test(`[${viewport}] cases and the case: the decider by name; Tom's score folds its long lists`, async () => {
      const staff = await signIn(admin, '/dashboard', viewport);
      await staff.page.goto(`${server.base}/cases/${caseId}`);
      await staff.page.locator('.facts', { hasText: `by ${moderatorName}` }).waitFor();
      assert.doesNotMatch(String(await staff.page.locator('main').textContent()), /prn_/);
      await shown(staff.page, 'edges-case');

      // The open cases (22) page: 20, then the last 2, with no page before the first or past the last.
      await openFromMenu(staff.page, 'Cases');
      const queue = staff.page.locator('table', { has: staff.page.locator('caption', { hasText: 'Cases' }) });
      await queue.locator('tbody tr').nth(19).waitFor();
      assert.equal(await queue.locator('tbody tr').count(), 20);
      const pager = staff.page.getByRole('navigation', { name: 'Cases pages' });
      assert.equal(await pager.getByRole('button', { name: '← Previous' }).count(), 0);
      await shown(staff.page, 'edges-cases');
      await pager.getByRole('button', { name: 'Next →' }).click();
      await pager.getByText('Page 2').waitFor();
      // The first page's rows stay until the second page's arrive.
      await queue.locator('tbody tr').nth(2).waitFor({ state: 'detached' });
      assert.equal(await queue.locator('tbody tr').count(), 2);
      assert.equal(await pager.getByRole('button', { name: 'Next →' }).count(), 0);
      // The category filter is the policy's list, by label.
      await staff.page.getByLabel('Category').selectOption({ label: 'Spam' });
      await staff.page.getByRole('button', { name: 'Filter' }).click();
      await staff.page.waitForURL(/category=spam/);
      await queue.locator('tbody tr').nth(10).waitFor();
      assert.equal(await queue.locator('tbody tr').count(), 11);
      for (const cell of await queue.locator('td[data-label="Category"]').allTextContents())
        assert.equal(cell, 'spam');
      assert.deepEqual(staff.errors, []);

      const tom = await signIn(f.subject, '/me', viewport);
      const { page } = tom;
      await page.goto(`${server.base}/me/score`);
      const contributions = page.locator('table', {
        has: page.locator('caption', { hasText: 'Contributions' }),
      });
      await contributions.locator('tbody tr').first().waitFor();
      assert.equal(await contributions.locator('tbody tr').count(), 10);
      await page.getByText('of persons').waitFor();
      await shown(page, 'edges-score');
      await page.getByRole('button', { name: 'More contributions' }).click();
      await contributions.locator('tbody tr').nth(10).waitFor();
      assert.ok((await contributions.locator('tbody tr').count()) > 10);
      assert.deepEqual(tom.errors, []);
    });

    test(`[${viewport}] the log: the key as mdis log key prints it; the first and last pages`, async () => {
      const tab = await signIn(admin, '/dashboard', viewport);
      const { page } = tab;
      await page.goto(`${server.base}/log`);
      const key = page.getByLabel('Verifier key', { exact: false });
      // The form is drawn once the key is read, holding it.
      await key.waitFor();
      assert.equal(await key.inputValue(), server.ctx.ledger.verifierKey);
      const size = Number((await (await fetch(`${server.base}/v1/log/checkpoint`)).text()).split('\n')[1]);
      assert.ok(size > 40, `enough entries for three pages: ${size}`);
      const range = page.getByTestId('entry-range');
      const pager = page.getByRole('navigation', { name: 'Entry pages' });
      await range.waitFor();
      assert.equal(
        await range.textContent(),
        `Entries #${size - 1} down to #${size - 20} (20 of ${size}), newest first.`,
      );
      assert.equal(
        await pager.getByRole('button', { name: '← Newer' }).count(),
        0,
        'nothing newer on the first page',
      );
      await shown(page, 'edges-log');
      let pages = 1;
      while ((await pager.getByRole('button', { name: 'Older →' }).count()) > 0) {
        await pager.getByRole('button', { name: 'Older →' }).click();
        pages++;
        const end = Math.max(0, size - 20 * pages);
        await range.filter({ hasText: `down to #${end} ` }).waitFor();
      }
      // The last page: what is left, down to #0, and no page past it.
      const left = size - 20 * (pages - 1);
      assert.equal(
        await range.textContent(),
        `Entries #${left - 1} down to #0 (${left} of ${size}), newest first.`,
      );
      // The page before's entries stay until the last page's arrive.
      await page.locator('.entries li').nth(left).waitFor({ state: 'detached' });
      assert.equal(await page.locator('.entries li').count(), left);
      assert.equal(pages, Math.ceil(size / 20));
      await pager.getByRole('button', { name: '← Newer' }).click();
      await range.filter({ hasText: `#${left + 19} down to #${left} ` }).waitFor();
      assert.deepEqual(tab.errors, []);
    });
  }
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { ConfigOverrides } from '../src/config.ts';
import { type AppContext, createContext } from '../src/context.ts';
import { buildServer } from '../src/http/server.ts';
import { call, type Harness, tempDir, testConfig } from './_util.ts';

/**
 * What every browser test shares: the console built as `npm test` builds it, a real server on a
 * SQLite store, Debian's Chromium driven by playwright-core, sign-in by token in a tab of its own,
 * screenshots kept in test-artifacts/, and axe-core's check of the page.
 */

export const chromiumPath = process.env.MDIS_TEST_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');
export const artifacts = path.join(root, 'test-artifacts');

export const phone = { width: 390, height: 844 };
export const desktop = { width: 1280, height: 900 };
export const viewports = { phone, desktop } as const;
export type ViewportName = keyof typeof viewports;

/** A browser suite, or one loud skip when the machine has no Chromium. */
export function browserSuite(title: string, define: () => void, timeout = 300_000): void {
  if (!fs.existsSync(chromiumPath)) {
    test(title, {
      skip: `SKIPPED: no Chromium at ${chromiumPath}; install it (apt-get install -y chromium) to run the browser tests`,
    }, () => {});
    return;
  }
  describe(title, { timeout }, define);
}

export interface ConsoleServer {
  ctx: AppContext;
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

/** The console as `npm test` builds it (a no-op when it is up to date). */
export function buildConsole(): void {
  execFileSync(process.execPath, [path.join(root, 'console', 'build.ts')], { stdio: 'inherit' });
}

/** A real server with the built console on a new SQLite store, listening on a free port. */
export async function startConsoleServer(
  options: { config?: ConfigOverrides; now?: () => Date } = {},
): Promise<ConsoleServer> {
  buildConsole();
  const dataDir = tempDir('console');
  const ctx = await createContext(testConfig('sqlite', dataDir, options.config), {
    logger: pino({ level: 'silent' }),
    now: options.now,
  });
  const app = await buildServer(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    ctx,
    app,
    base: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The console's server as the API tests' harness (what the fixtures take): tokens made in its
 * store, calls to its app without the network. It has no store of its own to reset or snapshot.
 */
export function harnessOf(server: ConsoleServer): Harness {
  return {
    ctx: server.ctx,
    token: async (input: Parameters<Harness['token']>[0]) =>
      (await server.ctx.principals.create(input)).token,
    call: (method: string, url: string, options?: Parameters<Harness['call']>[2]) =>
      call(server.app, method, url, options),
  } as Harness;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = tempDir('chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: desktop,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A tab that records the page's errors, so that a test can assert there were none. */
export interface Tab {
  page: Page;
  errors: string[];
}

/** A new tab (its own sessionStorage, so its own sign-in) at `viewport`, not yet signed in. */
export async function openTab(browser: Browser, viewport: ViewportName = 'desktop'): Promise<Tab> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewports[viewport]);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { page, errors };
}

/**
 * The page's own errors (what it threw), without what it logged to its console: where a refused
 * request is expected, the browser logs it there.
 */
export function pageErrors(tab: Tab): string[] {
  return tab.errors.filter((error) => error.startsWith('page error: '));
}

/** Signs in with a bearer token on the sign-in page and waits for the role's home. */
export async function signInWithToken(
  browser: Browser,
  base: string,
  token: string,
  options: { home: string; viewport?: ViewportName },
): Promise<Tab> {
  const tab = await openTab(browser, options.viewport);
  await tab.page.goto(base);
  await tab.page.getByLabel('Token').fill(token);
  await tab.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await tab.page.waitForURL(`${base}${options.home}`);
  return tab;
}

/** A full-page screenshot in test-artifacts/, named `<name>-<viewport width>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifacts, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.x A and AA rules (and its best practices) run in the page as it stands; the
 * serious and critical violations, each with the elements it found. The script is evaluated
 * through the DevTools protocol, which the console's content security policy does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    // The page's globals: this test's tsconfig has no DOM types.
    const page = globalThis as unknown as {
      axe: { run: (...args: unknown[]) => Promise<unknown> };
      document: unknown;
    };
    const result = (await page.axe.run(page.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })) as {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails naming each serious or critical violation axe-core finds on `page` (`where` names it). */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 3).join(', ')}`),
    [],
    `axe-core on ${where}`,
  );
}

/**
 * Follows an entry of the role's menu. Where the menu is folded behind its button (a long menu
 * on a phone), the button opens it first.
 */
export async function openFromMenu(page: Page, name: string): Promise<void> {
  await unfoldMenu(page);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
}

/** Opens the role's menu where it is folded behind its button; elsewhere does nothing. */
export async function unfoldMenu(page: Page): Promise<void> {
  const toggle = page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Menu/ });
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === 'false') {
    await toggle.click();
  }
}

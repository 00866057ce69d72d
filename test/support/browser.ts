import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { credentialsOf, ROOT, type RunningSystem } from './system';

/** Debian's chromium (`apt-get install chromium`, as .ci/run does): no browser is downloaded. */
export const CHROMIUM = process.env.LM_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = `Chromium is not installed at ${CHROMIUM}: apt-get install chromium (or set LM_CHROMIUM)`;
export const RESULTS_DIR = join(ROOT, 'test-results');

/** The two window sizes the console is made for. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * Headless Chromium as the machines here run it: no sandbox (root), and none of the background
 * traffic (updates, sync, Safe Browsing) that a closed network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A browser context for one person, with every request it makes recorded (the console must ask only the gateway). */
export async function openConsole(
  browser: Browser,
  system: RunningSystem,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: system.endpoint });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/console/');
  return { context, page, requests };
}

type Account = Parameters<typeof credentialsOf>[0];

/** Signs in with the keyboard only: type, Tab to the next field, Enter to submit. */
export async function signIn(page: Page, account: Account, secret = credentialsOf(account).secretAccessKey) {
  await page.getByLabel('Access key ID').focus();
  await page.keyboard.type(credentialsOf(account).accessKeyId);
  await page.keyboard.press('Tab');
  await page.keyboard.type(secret);
  await page.keyboard.press('Enter');
}

/**
 * The page checked with axe-core (WCAG 2.1 A and AA): no violation. axe is evaluated through the
 * DevTools protocol, which the console's Content-Security-Policy (script-src 'self') does not govern.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axe.source);
  // An expression, not a function: the test's compiler would rewrite an async function into helpers the page lacks.
  const violations = await page.evaluate<string[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((v) =>
        v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).join(', ') + ')'))`);
  expect(violations).toEqual([]);
}

/**
 * Nothing wider than the window: the page needs no sideways scrolling (tables scroll in their own box).
 * On failure, what sticks out past the window's right edge.
 */
export async function expectFitsWidth(page: Page): Promise<void> {
  const layout = await page.evaluate<{ overflow: number; sticking: string[] }>(`({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    sticking: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' right=' + Math.round(e.getBoundingClientRect().right)),
  })`);
  expect(layout.overflow, layout.sticking.join('\n')).toBeLessThanOrEqual(0);
}

/** Saves what the page shows under test-results/ (ignored by git). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

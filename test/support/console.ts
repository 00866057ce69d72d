import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DESKTOP, launchChromium, openConsole, screenshot, signIn } from './browser';
import { accounts, startSystem, type RunningSystem } from './system';

/** How long a page may take to show what it read (expect.poll waits 1 s unless told; a loaded machine takes longer). */
export const SETTLED = { timeout: 15_000 };

type Account = (typeof accounts)[keyof typeof accounts];

/**
 * The setup every browser test of the console shares: a whole system and Debian's Chromium for the
 * file, a browser context per person, and each test's last page saved as test-results/<prefix>-<test>.png
 * (passed or not). Its fields are read inside tests, once beforeAll has run. `extraEnv` may be a function,
 * read when the system starts (after the file's own earlier beforeAll, such as a directory's start).
 */
export function consoleTestBed(prefix: string, extraEnv: Record<string, string> | (() => Record<string, string>) = {}) {
  const contexts: BrowserContext[] = [];
  const bed = {
    system: undefined as unknown as RunningSystem,
    browser: undefined as unknown as Browser,
    /** The page each test ends on (the last it opened). */
    last: undefined as Page | undefined,
    async open(viewport = DESKTOP) {
      const opened = await openConsole(bed.browser, bed.system, viewport);
      contexts.push(opened.context);
      bed.last = opened.page;
      return opened;
    },
    /** A browser signed in as the account, on the dashboard. */
    async signedIn(account: Account = accounts.management, viewport = DESKTOP) {
      const opened = await bed.open(viewport);
      await signIn(opened.page, account);
      await opened.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      return opened;
    },
  };

  beforeAll(async () => {
    bed.browser = await launchChromium();
    // A whole system and a browser on a machine other suites share: its start may take a while.
    bed.system = await startSystem(typeof extraEnv === 'function' ? extraEnv() : extraEnv, {
      startTimeoutMs: 240_000,
    });
  }, 330_000);
  afterEach(async (context) => {
    if (bed.last)
      await screenshot(bed.last, `${prefix}-${context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    bed.last = undefined;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await bed.browser?.close();
    await bed.system?.stop();
  });
  return bed;
}

/** A link of the console's navigation (pages have links of the same name, such as breadcrumbs). */
export const goTo = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name }).click();

/** Creates a configuration through the console's form, from wherever the page is. */
export async function createThroughConsole(
  page: Page,
  name: string,
  options: { countingType?: string; count?: string; hardLimit?: boolean; expiry?: string } = {},
): Promise<void> {
  await page.goto(new URL('/console/#/licenses/new', page.url()).toString());
  await page.getByRole('heading', { name: 'Create self-managed license' }).waitFor();
  await page.getByLabel('Self-managed license name').fill(name);
  if (options.countingType) await page.getByLabel('License type').selectOption(options.countingType);
  if (options.count) await page.getByLabel(/^Number of/).fill(options.count);
  if (options.expiry) await page.getByLabel('Expiry date (optional)').fill(options.expiry);
  if (options.hardLimit) await page.getByLabel(/Enforce license limit/).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name }).waitFor();
}

/** Adds a rule with the form's rule list: its type by console name, then its value. */
export async function addRule(page: Page, type: string, value: string): Promise<void> {
  await page.getByLabel('Rule type').selectOption({ label: type });
  const field = page.getByLabel('Rule value');
  if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
  else await field.fill(value);
  await page.getByRole('button', { name: 'Add rule' }).click();
}

import { randomUUID } from 'node:crypto';
import { CheckoutLicenseCommand } from '@aws-sdk/client-license-manager';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, expectFitsWidth, PHONE, screenshot } from '../support/browser';
import { licenseManager } from '../support/clients';
import { consoleTestBed, goTo, SETTLED } from '../support/console';
import { reportAndAwaitLicensing, reportResources } from '../support/inventory';
import { grantedLicense } from '../support/licenses';
import { accounts } from '../support/system';

/** Licence and grant changes reach consumption within this (LM_CONSUMPTION_LICENSE_CACHE_MS). */
const LICENSE_CACHE_MS = 200;
/** Reporting's consumers turn licensing's and grants' events into data points within seconds; a busy machine takes longer. */
const METRICS_SETTLED = { timeout: 60_000, interval: 1_000 };
/** Three seats checked out: the peak is 3, now 3; the least is 0 when a minute before the checkout's is charted. */
const SEATS_IN_USE = /^Seats in use: from [03] to 3, 3 at .+\.$/;

/**
 * The console's usage over time (reporting's usage metrics, read with CloudWatch's GetMetricData), its
 * automated discovery rules, and the inventory search's width, in Debian's Chromium against the whole
 * system, each page checked with axe-core.
 */
describe(
  'the web console’s usage over time, automated discovery rules and inventory width',
  { timeout: 180_000 },
  () => {
    const bed = consoleTestBed('console-usage', { LM_CONSUMPTION_LICENSE_CACHE_MS: String(LICENSE_CACHE_MS) });
    const { signedIn } = bed;

    /** A usage over time section's chart description (its values in words), read again (Reload chart) until it matches. */
    const chartSays = async (section: Locator, expected: RegExp) =>
      expect
        .poll(async () => {
          await section.getByRole('button', { name: 'Reload chart' }).click();
          const description = section.locator('svg[role="img"] desc');
          return (await description.count()) === 0 ? '' : description.textContent();
        }, METRICS_SETTLED)
        .toMatch(expected);
    const usageSection = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

    it('creates a license with automated discovery rules that associate a reported instance, and charts its consumption over time', async () => {
      const [windowsArn] = await reportAndAwaitLicensing(bed.system, [
        {
          accountId: accounts.management.accountId,
          resourceId: 'i-0c0601e0000000001',
          resourceType: 'EC2_INSTANCE',
          state: 'running',
          platform: 'Windows Server 2022 Datacenter',
          region: bed.system.region,
        },
      ]);
      const { page } = await signedIn();
      await page.goto('/console/#/licenses/new');
      await page.getByLabel('Self-managed license name').fill('Windows Server discovered');
      await page.getByLabel('License type').selectOption('Instance');
      await page.getByLabel(/^Number of/).fill('2');
      const discovery = page.getByRole('group', { name: 'Automated discovery rules' });
      const addFilter = async (filter: string, value: string, operator?: string) => {
        await discovery.getByLabel('Product filter').selectOption({ label: filter });
        if (operator) await discovery.getByLabel('Operator').selectOption({ label: operator });
        const field = discovery.getByLabel(/^Filter value/);
        if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
        await discovery.getByRole('button', { name: 'Add filter' }).click();
      };
      // Exclusion rules need cross-account discovery, which this account has not turned on: the API's refusal under the rules.
      await addFilter('Platform name', 'Windows Server 2022 Datacenter');
      await addFilter('Account ID (exclusion)', accounts.member.accountId);
      await discovery.getByRole('button', { name: 'Add automated discovery rule' }).click();
      await page.getByRole('button', { name: 'Submit' }).click();
      const refusal = discovery.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/cross-account discovery.*\(InvalidParameterValueException\)$/);
      await expectAccessible(page);
      await screenshot(page, 'console-usage-discovery-refused');

      await discovery.getByRole('button', { name: 'Remove automated discovery rule 1' }).click();
      await addFilter('Platform name', 'Windows Server 2022 Datacenter');
      await discovery.getByLabel('Product filter').selectOption({ label: 'License included' });
      expect(await discovery.getByLabel('Operator').locator('option').allTextContents()).toEqual([
        'Equals',
        'Not equals',
      ]);
      await addFilter('License included', 'sql-server-web', 'Not equals');
      await discovery.getByRole('button', { name: 'Add automated discovery rule' }).click();
      await discovery.getByLabel('Stop tracking instances when software is uninstalled').check();
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.getByRole('heading', { name: 'Windows Server discovered' }).waitFor();

      // The rules on the detail page, and the instance they found associated (licensing matches the inventory at once).
      const details = page.getByRole('region', { name: 'Configuration details' });
      expect(await details.locator('dt:text-is("Automated discovery rules") + dd').textContent()).toBe(
        'Systems Manager managed instances (SSM_MANAGED): Platform name equals Windows Server 2022 Datacenter; ' +
          'License included not equals sql-server-web' +
          'Stops tracking instances when the software is uninstalled.',
      );
      await page
        .getByRole('region', { name: 'Associated resources' })
        .getByRole('row', { name: new RegExp(windowsArn) })
        .waitFor();

      // Its consumption over time: one instance of two, from reporting's metrics.
      const overTime = usageSection(page, 'Usage over time');
      await chartSays(
        overTime,
        /^Licenses consumed: from [01] to 1, 1 at .+\. Number of licenses: from 2 to 2, 2 at .+\.$/,
      );
      await overTime.getByText('values as a table').click();
      const values = overTime.getByRole('region', { name: /values$/ });
      expect(await values.getByRole('row').last().getByRole('cell').allTextContents()).toEqual(['1', '2']);
      await overTime.getByLabel('Period').selectOption({ label: 'Last 7 days (hourly)' });
      await chartSays(overTime, /^Licenses consumed: from [01] to 1, 1 at .+\. Number of licenses: from 2 to 2/);
      await expectAccessible(page);
      await screenshot(page, 'console-usage-license-detail');

      // Edited: an RDS rule for a license counted by instance, which licensing refuses (RDS is counted by vCPU only).
      await page.getByRole('link', { name: 'Edit', exact: true }).click();
      await page.getByRole('heading', { name: 'Edit Windows Server discovered' }).waitFor();
      await discovery.getByRole('button', { name: 'Remove automated discovery rule 1' }).click();
      await discovery.getByLabel('Resource type').selectOption('RDS');
      await addFilter('Engine edition', 'oracle-ee');
      await discovery.getByRole('button', { name: 'Add automated discovery rule' }).click();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/RDS.*vCPU.*\(InvalidParameterValueException\)$/);
      await expectAccessible(page);

      // The dashboard's usage over time: the account's configurations together.
      await goTo(page, 'Dashboard');
      await chartSays(
        usageSection(page, 'Usage over time'),
        /^Licenses consumed: from [01] to 1, 1 at .+\. Number of licenses: from 2 to 2/,
      );
      await expectAccessible(page);
      await screenshot(page, 'console-usage-dashboard');
    });

    it('charts a licence’s entitlements in use over time, for its buyer and its seller', async () => {
      const license = await grantedLicense(bed.system, {
        issuer: accounts.outsider,
        grantee: accounts.management,
        productSku: 'console-usage-seats',
        entitlements: [
          { Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true },
          { Name: 'Premium', Unit: 'None', Value: 'Enabled' },
        ],
        allowedOperations: ['CheckoutLicense', 'CheckInLicense'],
        consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      });
      await new Promise((resolve) => setTimeout(resolve, LICENSE_CACHE_MS + 50));
      await licenseManager(bed.system, accounts.management).send(
        new CheckoutLicenseCommand({
          ProductSKU: license.sku,
          KeyFingerprint: license.fingerprint,
          CheckoutType: 'PROVISIONAL',
          Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '3' }],
          ClientToken: randomUUID(),
        }),
      );
      const { page } = await signedIn();
      await page.goto(`/console/#/granted-licenses/${encodeURIComponent(license.licenseArn)}`);
      await page.getByRole('heading', { name: 'Product console-usage-seats' }).waitFor();
      // Only the counted entitlement (Premium has no unit to count in). Its peak per minute: 0 in a
      // minute before the checkout's, when the licence was made in an earlier minute than it was
      // checked out (a busy machine's seconds apart cross a minute's end), then 3.
      await chartSays(usageSection(page, 'Usage over time'), SEATS_IN_USE);
      await expectAccessible(page);
      await screenshot(page, 'console-usage-granted-license');

      // The seller sees the same usage on its issued licence.
      const seller = await signedIn(accounts.outsider);
      await seller.page.goto(`/console/#/issued-licenses/${encodeURIComponent(license.licenseArn)}`);
      await seller.page.getByRole('heading', { name: 'Product console-usage-seats' }).waitFor();
      await chartSays(usageSection(seller.page, 'Usage over time'), SEATS_IN_USE);
      await expectAccessible(seller.page);
    });

    it('fits the inventory search in a 1280-pixel-wide window; on a phone its table scrolls in its own box', async () => {
      const owner = accounts.nestedMember;
      await reportResources(
        bed.system,
        Array.from({ length: 3 }, (_, index) => ({
          accountId: owner.accountId,
          resourceId: `i-0c0603e00000000${index}a`,
          resourceType: 'EC2_INSTANCE' as const,
          state: 'running' as const,
          platform: 'Windows Server 2022 Datacenter with SQL Server 2022 Enterprise Edition',
          platformVersion: '10.0.20348.2402',
          instanceType: 'x2iedn.metal-32xl',
          usageOperation: 'RunInstances:0102',
          region: bed.system.region,
        })),
      );
      const desktop = await signedIn(owner);
      await goTo(desktop.page, 'Inventory search');
      const rows = desktop.page.getByRole('region', { name: 'Resource list' }).locator('tbody tr');
      await expect.poll(() => rows.count(), SETTLED).toBe(3);
      const width = await desktop.page.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      );
      expect(width.client).toBe(1280);
      expect(width.scroll).toBeLessThanOrEqual(width.client);
      await screenshot(desktop.page, 'console-usage-inventory-desktop');

      const { page } = await signedIn(owner, PHONE);
      await goTo(page, 'Inventory search');
      const list = page.getByRole('region', { name: 'Resource list' });
      await expect.poll(() => list.locator('tbody tr').count(), SETTLED).toBe(3);
      await expectFitsWidth(page);
      // The table is wider than the phone: its box scrolls sideways (from the keyboard too: it is focusable) to the last column.
      const associate = list.getByRole('button', { name: 'Associate self-managed license with i-0c0603e000000000a' });
      expect(await list.evaluate((box) => box.scrollWidth > box.clientWidth)).toBe(true);
      await list.focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => list.evaluate((box) => box.scrollLeft), SETTLED).toBeGreaterThan(0);
      await list.evaluate((box) => box.scrollTo({ left: box.scrollWidth }));
      const [box, button] = await Promise.all([list.boundingBox(), associate.boundingBox()]);
      expect(button!.x + button!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
      await expectAccessible(page);
    });

    // Last: reporting stays stopped until the system stops.
    it('says usage over time is not part of the deployment without the metrics’ service, and shows the rest', async () => {
      await bed.system.kill('reporting');
      const { page } = await signedIn();
      const usage = usageSection(page, 'Usage over time');
      const note = usage.getByRole('status').filter({ hasNotText: 'Loading' });
      await note.waitFor();
      expect(await note.textContent()).toBe('Usage metrics: not part of this deployment.');
      expect(await usage.getByRole('alert').count()).toBe(0);
      await page.getByRole('region', { name: 'Recent failures' }).waitFor();
      await expectAccessible(page);
    });
  },
);

import { CreateLicenseConfigurationCommand, UpdateServiceSettingsCommand } from '@aws-sdk/client-license-manager';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, expectFitsWidth, PHONE, screenshot } from '../support/browser';
import { licenseManager } from '../support/clients';
import { addRule, consoleTestBed, createThroughConsole, goTo, SETTLED } from '../support/console';
import { reportAndAwaitConversion } from '../support/conversion';
import { reportResources } from '../support/inventory';
import { accounts } from '../support/system';

/**
 * The console's pages beyond creating and associating (console.test.ts): editing, deactivating and
 * deleting a self-managed license, AMIs, inventory search, settings and usage reports, in Debian's
 * Chromium against the whole system, each page checked with axe-core.
 */
// Each test walks through several pages, each a few signed calls: minutes on a machine other suites share.
describe('the web console’s license, inventory, settings and report pages', { timeout: 180_000 }, () => {
  const bed = consoleTestBed('console-pages');
  const { signedIn } = bed;
  const details = (page: Page) => page.getByRole('region', { name: 'Configuration details' });
  /** The UTC day so many days from now, as a date input takes it (YYYY-MM-DD). */
  const utcDay = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('edits a self-managed license with the create form; a bad value shows the API’s refusal beside its field', async () => {
    const { page } = await signedIn();
    // An expiry date within the guide's 120-day notification horizon: the end of that day in UTC.
    const soon = utcDay(60);
    await createThroughConsole(page, 'Visual Studio', { countingType: 'Core', count: '16', expiry: soon });
    const expiry = details(page).getByTestId('expiry');
    expect(await expiry.textContent()).toBe(`${soon} 23:59:59 UTC (60 days left)`);
    // Marked on the list and the dashboard as expiring.
    await goTo(page, 'Self-managed licenses');
    const listed = page.getByRole('row', { name: /Visual Studio/ });
    expect(await listed.locator('.badge').textContent()).toBe('Expires: 60 days left');
    await goTo(page, 'Dashboard');
    const expiring = page
      .getByRole('region', { name: 'Expired or expiring' })
      .getByRole('row', { name: /Visual Studio/ });
    expect(await expiring.textContent()).toContain(`${soon} 23:59:59 UTC`);
    expect(await expiring.locator('.badge').textContent()).toBe('Expires: 60 days left');
    await expectAccessible(page);
    await expiring.getByRole('link', { name: 'Visual Studio' }).click();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Edit Visual Studio' }).waitFor();
    // The form as the configuration is; its counting type cannot change.
    await expect(page.getByLabel('Self-managed license name').inputValue()).resolves.toBe('Visual Studio');
    await expect(page.getByLabel('Number of cores (optional)').inputValue()).resolves.toBe('16');
    await expect(page.getByLabel('Expiry date (optional)').inputValue()).resolves.toBe(soon);
    expect(await page.getByLabel('License type').isDisabled()).toBe(true);
    await expectAccessible(page);

    await page.getByLabel('Number of cores (optional)').fill('-3');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const count = page.locator('.field', { has: page.getByLabel('Number of cores (optional)') });
    const refusal = count.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\((InvalidParameterValueException|ValidationException)\)$/);
    await expectAccessible(page);
    await screenshot(page, 'console-pages-edit-bad-count');

    // Licensing takes no LicenseExpiry before 1970: its refusal under the date.
    await page.getByLabel('Number of cores (optional)').fill('32');
    await page.getByLabel('Expiry date (optional)').fill('1969-07-20');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const expiryRefusal = page.locator('.field', { has: page.getByLabel('Expiry date (optional)') }).getByRole('alert');
    await expiryRefusal.waitFor();
    expect(await expiryRefusal.textContent()).toMatch(/LicenseExpiry.*\(InvalidParameterValueException\)$/);
    await expectAccessible(page);
    await page.getByLabel('Expiry date (optional)').fill(utcDay(200));

    await page.getByLabel('Self-managed license name').fill('Visual Studio Enterprise');
    await page.getByLabel('Description (optional)').fill('Developer seats');
    await page.getByLabel('Number of cores (optional)').fill('32');
    await page.getByLabel(/Enforce license limit/).check();
    // After creation the API takes no other change of rules than the license affinity to host: the form offers no other.
    expect(await page.getByLabel('Rule type').locator('option').allTextContents()).toEqual([
      'License affinity to host (in days)',
    ]);
    await addRule(page, 'License affinity to host (in days)', '90');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel('Key', { exact: true }).fill('cost-center');
    await page.getByLabel('Value', { exact: true }).fill('42');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Visual Studio Enterprise' }).waitFor();
    for (const text of [
      'Developer seats',
      'License affinity to host (in days): 90',
      'cost-center=42',
      '0 of 32 (within the limit)',
      `${utcDay(200)} 23:59:59 UTC (200 days left)`,
    ])
      expect(await details(page).getByText(text, { exact: true }).count(), text).toBe(1);
    expect(
      await details(page)
        .getByText(/^Hard limit/)
        .isVisible(),
    ).toBe(true);
    await expectAccessible(page);

    // Edited again: the rule and the tag removed.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('button', { name: 'Remove rule License affinity to host (in days)' }).click();
    await page.getByRole('button', { name: 'Remove tag 1' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Visual Studio Enterprise' }).waitFor();
    const rules = details(page).locator('dt:text-is("Rules") + dd');
    const tags = details(page).locator('dt:text-is("Tags") + dd');
    await expect.poll(() => rules.textContent(), SETTLED).toBe('None');
    expect(await tags.textContent()).toBe('None');
  });

  it('deactivates and activates a license, associates and disassociates an AMI, and deletes it once confirmed', async () => {
    const [ami] = await reportResources(bed.system, [
      {
        accountId: accounts.management.accountId,
        resourceId: 'ami-0c0501e000000000a',
        resourceType: 'EC2_AMI',
        state: 'available',
      },
    ]);
    const { page } = await signedIn();
    await createThroughConsole(page, 'Windows Server AMI', { countingType: 'vCPU' });
    const status = details(page).locator('dt:text-is("Status") + dd');
    expect(await status.textContent()).toBe('AVAILABLE');
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => status.textContent(), SETTLED).toBe('DISABLED');
    await page.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => status.textContent(), SETTLED).toBe('AVAILABLE');

    await page.getByLabel('Resource ARN').fill(ami);
    await page.getByRole('button', { name: 'Associate resource' }).click();
    const associations = page.getByRole('region', { name: 'Associated resources' });
    await associations.getByRole('row', { name: new RegExp(`${ami}.*EC2_AMI`) }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: `Disassociate ${ami}` }).click();
    await associations.getByText('No resource is associated.').waitFor();

    // Delete asks first; Cancel keeps the license.
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Windows Server AMI?' });
    await dialog.waitFor();
    await expectAccessible(page);
    await screenshot(page, 'console-pages-delete-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Self-managed licenses' }).waitFor();
    await page.getByLabel('Search by name').fill('Windows Server AMI');
    await page.getByText('No license configuration’s name contains “windows server ami”.').waitFor();
  });

  it('searches the inventory with the guide’s filters, a page at a time, and shows a refused filter beside the filters', async () => {
    const owner = accounts.nestedMember;
    const instance = (index: number, platform: string) => ({
      accountId: owner.accountId,
      resourceId: `i-0c0502e00000000${index.toString(16).padStart(2, '0')}`,
      resourceType: 'EC2_INSTANCE' as const,
      state: 'running' as const,
      platform,
      region: 'us-east-1',
    });
    await reportResources(bed.system, [
      ...Array.from({ length: 20 }, (_, index) => instance(index, 'Linux/UNIX')),
      instance(0x20, 'Windows Server 2022 Datacenter'),
    ]);
    await licenseManager(bed.system, owner).send(
      new CreateLicenseConfigurationCommand({ Name: 'Windows Server Datacenter', LicenseCountingType: 'Instance' }),
    );
    const { page } = await signedIn(owner);
    await goTo(page, 'Inventory search');
    await page.getByRole('heading', { name: 'Inventory search' }).waitFor();
    const results = page.getByRole('region', { name: 'Resources' });
    const rows = results.locator('tbody tr');
    await expect.poll(() => rows.count(), SETTLED).toBe(20);
    await results.getByRole('button', { name: 'Next page' }).click();
    await results.getByText('Page 2').waitFor();
    await expect.poll(() => rows.count(), SETTLED).toBe(1);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 1', { exact: true }).selectOption({ label: 'Platform name' });
    const operators = await page.getByLabel('Operator 1').locator('option').allTextContents();
    expect(operators).toEqual(['Equals', 'Not equals', 'Begins with', 'Contains']);
    await page.getByLabel('Operator 1').selectOption({ label: 'Begins with' });
    await page.getByLabel('Value 1').fill('Windows');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => rows.allTextContents(), SETTLED)
      .toEqual([expect.stringMatching(/^i-0c0502e0000000020EC2_INSTANCE.*Windows Server 2022 Datacenter/)]);
    await expectAccessible(page);
    await screenshot(page, 'console-pages-inventory');

    // The guide's "Associate self-managed license" from the search's results.
    await page.getByRole('button', { name: 'Associate self-managed license with i-0c0502e0000000020' }).click();
    const associate = page.getByRole('region', { name: /^Associate a self-managed license with/ });
    await associate.getByLabel('Self-managed license name').selectOption({ label: 'Windows Server Datacenter' });
    await associate.getByRole('button', { name: 'Associate', exact: true }).click();
    await associate.getByRole('status').filter({ hasText: 'Associated with Windows Server Datacenter.' }).waitFor();
    await expectAccessible(page);

    // A tag's Not equals is the cross-account view's only: the API's refusal is shown beside the filters.
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 2', { exact: true }).selectOption({ label: 'Tag' });
    await page.getByLabel('Tag key 2').fill('team');
    await page.getByLabel('Operator 2').selectOption({ label: 'Not equals' });
    await page.getByLabel('Value 2').fill('platform');
    await page.getByRole('button', { name: 'Search' }).click();
    const refusal = page.getByRole('group', { name: 'Filters' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Filter tag:team takes NOT_EQUALS only with cross-account discovery enabled. (InvalidParameterValueException)',
    );
    await expectAccessible(page);
    await expectFitsWidth(page);
  });

  it('updates the settings and reads them back; a bad topic ARN is refused beside its field; the organization then shares and searches across accounts', async () => {
    const [memberInstance] = await reportResources(bed.system, [
      {
        accountId: accounts.member.accountId,
        resourceId: 'i-0c0503e0000000001',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
        platform: 'Red Hat Enterprise Linux',
      },
    ]);
    const { page } = await signedIn();
    await createThroughConsole(page, 'Organization-wide');
    await expect.poll(() => page.getByTestId('sharing').textContent(), SETTLED).toMatch(/^Not shared/);
    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.getByLabel('Link AWS Organizations').isChecked()).toBe(false);
    await expectAccessible(page);

    await page.getByLabel('Amazon SNS topic ARN').fill('not-a-topic');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const topic = page.locator('.field', { has: page.getByLabel('Amazon SNS topic ARN') });
    await topic.getByRole('alert').waitFor();
    expect(await topic.getByRole('alert').textContent()).toMatch(/\(InvalidParameterValueException\)$/);
    await expectAccessible(page);

    const topicArn = `arn:aws:sns:us-east-1:${accounts.management.accountId}:aws-license-manager-service-alerts`;
    const bucketArn = 'arn:aws:s3:::aws-license-manager-service-reports';
    await page.getByLabel('Amazon SNS topic ARN').fill(topicArn);
    await page.getByLabel('S3 bucket ARN').fill(bucketArn);
    await page.getByLabel('Link AWS Organizations').check();
    await page.getByLabel('Cross-account inventory search').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();

    // Read back from the API on another visit of the page.
    await goTo(page, 'Dashboard');
    await goTo(page, 'Settings');
    await expect.poll(() => page.getByLabel('Amazon SNS topic ARN').inputValue(), SETTLED).toBe(topicArn);
    await expect(page.getByLabel('S3 bucket ARN').inputValue()).resolves.toBe(bucketArn);
    for (const label of ['Link AWS Organizations', 'Cross-account inventory search']) {
      expect(await page.getByLabel(label).isChecked(), label).toBe(true);
      // Neither can be turned off once on.
      expect(await page.getByLabel(label).isDisabled(), label).toBe(true);
    }
    await expectAccessible(page);
    await screenshot(page, 'console-pages-settings');

    await goTo(page, 'Self-managed licenses');
    await page.getByRole('link', { name: 'Organization-wide' }).click();
    await expect
      .poll(() => page.getByTestId('sharing').textContent(), SETTLED)
      .toMatch(/^Shared with the organization/);

    // The cross-account view: the member's instance in the management account's inventory search.
    await goTo(page, 'Inventory search');
    await expect.poll(() => page.getByTestId('inventory-scope').textContent(), SETTLED).toMatch(/^Cross-account view/);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 1', { exact: true }).selectOption({ label: 'Account ID' });
    await page.getByLabel('Value 1').fill(accounts.member.accountId);
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('region', { name: 'Resources' }).locator('tbody tr');
    await expect
      .poll(() => rows.allTextContents(), SETTLED)
      .toEqual([expect.stringContaining(`i-0c0503e0000000001EC2_INSTANCE${accounts.member.accountId}`)]);
    expect(memberInstance).toContain(accounts.member.accountId);
  });

  it('creates, edits and deletes a usage report generator; a refused definition is shown beside its field', async () => {
    const owner = accounts.member;
    const client = licenseManager(bed.system, owner);
    await client.send(
      new UpdateServiceSettingsCommand({ S3BucketArn: 'arn:aws:s3:::aws-license-manager-service-reports-member' }),
    );
    await client.send(
      new CreateLicenseConfigurationCommand({ Name: 'Oracle Database', LicenseCountingType: 'vCPU', LicenseCount: 8 }),
    );
    const { page } = await signedIn(owner);
    await goTo(page, 'Usage reports');
    await page.getByText('No report generator yet.').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create report generator' }).click();
    const form = page.getByRole('region', { name: 'Create report generator' });
    await form.getByLabel('Report generator name').fill('Weekly Oracle');
    await form.getByLabel('Report frequency').selectOption({ label: 'Weekly' });
    await form.getByLabel('License configuration usage report').check();
    // No license chosen: the API's refusal, beside the licenses.
    await form.getByRole('button', { name: 'Create' }).click();
    const refusal = form.getByRole('group', { name: 'Self-managed licenses' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(\w+Exception\)$/);
    await expectAccessible(page);
    await form.getByLabel('Oracle Database').check();
    await form.getByRole('button', { name: 'Create' }).click();
    const list = page.getByRole('region', { name: 'Report generator list' });
    const row = list.getByRole('row', { name: /Weekly Oracle/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(
      /Weekly Oracle.*LicenseConfigurationSummaryReport, LicenseConfigurationUsageReport.*WEEK/,
    );
    await expectAccessible(page);
    await screenshot(page, 'console-pages-reports');

    await page.getByRole('button', { name: 'Edit Weekly Oracle' }).click();
    const edit = page.getByRole('region', { name: 'Edit Weekly Oracle' });
    await expect(edit.getByLabel('Oracle Database').isChecked()).resolves.toBe(true);
    await edit.getByLabel('Report generator name').fill('Monthly Oracle');
    await edit.getByLabel('Report frequency').selectOption({ label: 'Monthly' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await list.getByRole('row', { name: /Monthly Oracle.*MONTH/ }).waitFor();

    await page.getByRole('button', { name: 'Delete Monthly Oracle' }).click();
    await page.getByRole('dialog', { name: 'Delete Monthly Oracle?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No report generator yet.').waitFor();
  });

  it('converts a stopped BYOL instance to license included; a refused conversion is shown beside the form', async () => {
    const owner = accounts.outsider;
    const instance = {
      accountId: owner.accountId,
      region: bed.system.region,
      resourceId: 'i-0c0504e0000000001',
      resourceType: 'EC2_INSTANCE' as const,
      state: 'stopped' as const,
      platform: 'Windows',
      platformVersion: '2022',
      usageOperation: 'RunInstances:0800',
      vCpuCount: 4,
      tenancy: 'default' as const,
      imageOwner: 'self',
      ssmManaged: true,
      stopProtection: false,
    };
    const [arn] = await reportAndAwaitConversion(bed.system, [instance]);
    const { page } = await signedIn(owner);
    await goTo(page, 'License type conversion');
    await page.getByText('No license type conversion yet.').waitFor();
    await expectAccessible(page);

    const convert = async (resource: string) => {
      await page.getByLabel('Instance ARN').fill(resource);
      await page.getByLabel('Current usage operation').fill('RunInstances:0800');
      await page.getByLabel('Destination usage operation').fill('RunInstances:0002');
      await page.getByRole('button', { name: 'Convert' }).click();
    };
    await convert(arn.replace('i-0c0504e0000000001', 'i-0c0504e00000000ff'));
    const refusal = page.getByRole('region', { name: 'Create license type conversion' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(\w+Exception\)$/);
    await expectAccessible(page);

    await convert(arn);
    const row = page.getByRole('region', { name: 'Conversion task list' }).getByRole('row', { name: new RegExp(arn) });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/RunInstances:0800RunInstances:0002(IN_PROGRESS|SUCCEEDED)/);
    expect(await refusal.count()).toBe(0);
    await expectAccessible(page);
  });

  it('shows the subscriptions and asset group pages, and says a service that is not running is not part of this deployment', async () => {
    const { page } = await signedIn();
    const loaded = () =>
      expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), SETTLED).toBe(0);
    for (const [link, sections] of [
      ['User-based subscriptions', ['Identity providers', 'Instances', 'License server endpoints']],
      ['Linux subscriptions', ['Discovery', 'Instances', 'Subscriptions', 'Subscription providers']],
      ['License asset groups', ['Asset groups', 'Rulesets']],
    ] as const) {
      await goTo(page, link);
      for (const name of sections) await page.getByRole('heading', { name, exact: true }).waitFor();
      await loaded();
      expect(await page.getByRole('alert').count(), link).toBe(0);
      await expectAccessible(page);
    }
    await page.getByLabel('Show AWS managed rulesets').check();
    await loaded();
    expect(await page.getByRole('alert').count()).toBe(0);

    // The gateway answers 501 for the operations nobody serves: each section says so, none is an error.
    await bed.system.kill('linux-subscriptions');
    try {
      await goTo(page, 'Linux subscriptions');
      const notes = page.getByRole('status').filter({ hasText: 'not part of this deployment' });
      await expect.poll(() => notes.count(), SETTLED).toBe(4);
      expect(await notes.allTextContents()).toEqual([
        'The Linux subscriptions settings: not part of this deployment.',
        'The Linux instances: not part of this deployment.',
        'The Linux subscriptions: not part of this deployment.',
        'The subscription providers: not part of this deployment.',
      ]);
      expect(await page.getByRole('alert').count()).toBe(0);
      await expectAccessible(page);
      await screenshot(page, 'console-pages-linux-not-in-deployment');
    } finally {
      await bed.system.restart('linux-subscriptions');
    }
  });

  it('fits a phone-sized window on the new pages', async () => {
    const { page } = await signedIn(accounts.management, PHONE);
    for (const [link, heading] of [
      ['Inventory search', 'Inventory search'],
      ['Settings', 'Settings'],
      ['Usage reports', 'Usage reports'],
    ]) {
      await goTo(page, link);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), SETTLED).toBe(0);
      await expectFitsWidth(page);
      await expectAccessible(page);
    }
  });
});

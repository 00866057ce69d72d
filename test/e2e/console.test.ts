import { randomUUID } from 'node:crypto';
import {
  CreateLicenseCommand,
  CreateLicenseConfigurationCommand,
  CreateTokenCommand,
  GetAccessTokenCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, expectFitsWidth, PHONE, screenshot, signIn } from '../support/browser';
import { licenseManager, rawRequest } from '../support/clients';
import { addRule, consoleTestBed, createThroughConsole, goTo, SETTLED } from '../support/console';
import { reportResources } from '../support/inventory';
import { accounts, credentialsOf, type RunningSystem } from '../support/system';
import { assumeRoleWithWebIdentity } from '../support/web-identity';

/**
 * The web console in Debian's Chromium, against the whole system: every page reads and writes through
 * the gateway's APIs with requests the browser signs itself, and is checked with axe-core.
 */
describe('the web console', () => {
  const bed = consoleTestBed('console');
  const { open, signedIn } = bed;

  /** The guide's example: Windows Server on 8 to 16 cores of Dedicated Hosts, 96 cores, a hard limit. */
  const fillGuideExample = async (page: Page, name: string) => {
    await page.getByLabel('Self-managed license name').fill(name);
    await page.getByLabel('License type').selectOption('Core');
    await page.getByLabel('Number of cores (optional)').fill('96');
    await page.getByLabel(/Enforce license limit/).check();
  };

  it('signs in with an access key; a wrong secret is refused with the gateway’s message beside the form', async () => {
    const { page, requests } = await open();
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    // The Region the gateway serves (it refuses signatures scoped to another one), which it tells the console.
    expect(await (await fetch(`${bed.system.endpoint}/console/deployment.json`)).json()).toEqual({
      region: bed.system.region,
    });
    await expect(page.getByLabel('Region').inputValue()).resolves.toBe(bed.system.region);

    await signIn(page, accounts.management, 'not-the-secret-key-0000000000000000000000');
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(
      /^The request signature we calculated .*\(InvalidSignatureException\)$/,
    );
    await expectAccessible(page);

    await page.getByLabel('Secret access key').fill(credentialsOf(accounts.management).secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByText('AKIALMDEVMANAGEMENT1 · us-east-1').isVisible()).toBe(true);
    await expectAccessible(page);
    // Everything it loaded and called is the gateway's: no CDN, no outside request.
    expect(requests.filter((url) => !url.startsWith(bed.system.endpoint))).toEqual([]);
    // Served by the gateway: index.html revalidated every time, hashed assets kept for good.
    const index = await fetch(`${bed.system.endpoint}/console/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(await index.text())![1];
    expect(requests).toContain(`${bed.system.endpoint}${script}`);
    const asset = await fetch(`${bed.system.endpoint}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('signs in with temporary credentials and their session token; what they may not read is said beside it', async () => {
    const credentials = await temporaryCredentials(bed.system);
    const { page } = await open();
    await page.getByLabel('Access key ID').fill(credentials.AccessKeyId);
    await page.getByLabel('Secret access key').fill(credentials.SecretAccessKey);
    await page.getByLabel(/^Session token/).fill('not-the-session-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(UnrecognizedClientException\)$/);

    await page.getByLabel(/^Session token/).fill(credentials.SessionToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // These credentials may only consume the licence they were issued for: each part of the dashboard says so.
    const denied = page.getByRole('alert');
    await expect.poll(() => denied.count(), SETTLED).toBe(2);
    for (const text of await denied.allTextContents())
      expect(text).toMatch(/may not call \w+\. \(AccessDeniedException\)$/);
    await expectAccessible(page);
  });

  it('creates a self-managed license with rules; a bad rule shows the API’s refusal beside the rules', async () => {
    const { page } = await signedIn();
    await goTo(page, 'Self-managed licenses');
    await page.getByRole('link', { name: 'Create self-managed license' }).click();
    await fillGuideExample(page, 'Windows Server Datacenter');
    // The rule table: Cores take affinity, minimum and maximum cores and tenancy, not vCPU rules.
    const offered = await page.getByLabel('Rule type').locator('option').allTextContents();
    expect(offered).toEqual(['License affinity to host (in days)', 'Maximum cores', 'Minimum cores', 'Tenancy']);
    await addRule(page, 'Minimum cores', '16');
    await addRule(page, 'Maximum cores', '8');
    await addRule(page, 'Tenancy', 'EC2-DedicatedHost');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel('Key', { exact: true }).fill('team');
    await page.getByLabel('Value', { exact: true }).fill('platform');
    await page.getByRole('button', { name: 'Submit' }).click();

    const rules = page.getByRole('group', { name: 'Rules' });
    const refusal = rules.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Rule minimumCores (16) is greater than maximumCores (8). (InvalidParameterValueException)',
    );
    await expectAccessible(page);
    await screenshot(page, 'console-create-bad-rule');

    await page.getByRole('button', { name: 'Remove rule Minimum cores' }).click();
    // From the keyboard: the rule's value, then Enter adds it (and does not submit the form).
    await page.getByLabel('Rule type').selectOption({ label: 'Minimum cores' });
    await page.getByLabel('Rule value').focus();
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await rules.getByText('Minimum cores: 8').waitFor();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Windows Server Datacenter' }).waitFor();
    const details = page.getByRole('region', { name: 'Configuration details' });
    for (const text of [
      'Maximum cores: 8',
      'Minimum cores: 8',
      'Tenancy: EC2-DedicatedHost',
      'team=platform',
      'Cores',
    ]) {
      expect(await details.getByText(text, { exact: true }).count(), text).toBe(1);
    }
    expect(await details.getByText(/^Hard limit/).isVisible()).toBe(true);
    await expectAccessible(page);

    // Listed, found by name, and paged by the API.
    await goTo(page, 'Self-managed licenses');
    await page.getByRole('link', { name: 'Windows Server Datacenter' }).waitFor();
    await page.getByLabel('Search by name').fill('nothing like it');
    await page.getByText('No license configuration’s name contains “nothing like it”.').waitFor();
    await page.getByLabel('Search by name').fill('windows');
    await page.getByRole('link', { name: 'Windows Server Datacenter' }).waitFor();
    await expectAccessible(page);
  });

  it('pages through license configurations with the API’s tokens', async () => {
    const { page } = await signedIn(accounts.nestedMember);
    for (let index = 1; index <= 12; index++) {
      await createThroughConsole(page, `Paged ${String(index).padStart(2, '0')}`);
    }
    await goTo(page, 'Self-managed licenses');
    const rows = page.locator('tbody tr');
    await page.getByText('Page 1').waitFor();
    await expect.poll(() => rows.count(), SETTLED).toBe(10);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(() => rows.count(), SETTLED).toBe(2);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count(), SETTLED).toBe(10);
    // A search by name finds what is on any page.
    await page.getByLabel('Search by name').fill('paged 12');
    await page.getByText('1 found by name among all license configurations.').waitFor();
    expect(await rows.allTextContents()).toEqual([expect.stringMatching(/^Paged 12/)]);
    await page.getByLabel('Search by name').fill('');
    await expect.poll(() => rows.count(), SETTLED).toBe(10);
    // The API's licenseCountingType filter: none of them counts sockets.
    await page.getByLabel('License type').selectOption('Socket');
    await page.getByText('No license configuration yet.').waitFor();
  });

  it('pages through a license’s consuming and associated resources', async () => {
    const owner = accounts.nestedMember;
    const arns = await reportResources(
      bed.system,
      Array.from({ length: 11 }, (_, index) => ({
        ...instance(`i-0c0501e00000001${index.toString(16).padStart(2, '0')}`),
        accountId: owner.accountId,
      })),
    );
    const client = licenseManager(bed.system, owner);
    const { LicenseConfigurationArn } = await client.send(
      new CreateLicenseConfigurationCommand({ Name: 'Many instances', LicenseCountingType: 'Instance' }),
    );
    for (const ResourceArn of arns) {
      await client.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn,
          AddLicenseSpecifications: [{ LicenseConfigurationArn }],
        }),
      );
    }
    const { page } = await signedIn(owner);
    await page.goto(`${bed.system.endpoint}/console/#/licenses/${encodeURIComponent(LicenseConfigurationArn!)}`);
    await page.getByRole('heading', { name: 'Many instances' }).waitFor();
    for (const [region, pages] of [
      ['Associated resources', 'Pages of associated resources'],
      ['Consumption', 'Pages of resources consuming licenses'],
    ]) {
      const section = page.getByRole('region', { name: region, exact: true });
      const rows = section.locator('tbody tr');
      await expect.poll(() => rows.count(), SETTLED).toBe(10);
      const pager = section.getByRole('navigation', { name: pages });
      await pager.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => rows.count(), SETTLED).toBe(1);
      expect(await pager.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      await pager.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => rows.count(), SETTLED).toBe(10);
    }
    await expectAccessible(page);
  });

  it('associates a reported instance and shows its consumption on the detail page and the dashboard', async () => {
    const [instanceArn] = await reportResources(bed.system, [
      {
        accountId: accounts.management.accountId,
        resourceId: 'i-0c0501e0000000001',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
        platform: 'Windows',
        vCpuCount: 4,
        coreCount: 2,
        threadsPerCore: 2,
        tenancy: 'default',
      },
    ]);
    const { page } = await signedIn();
    await createThroughConsole(page, 'SQL Server Standard', { countingType: 'vCPU', count: '5' });
    await page.getByRole('heading', { name: 'SQL Server Standard' }).waitFor();
    expect(await page.getByTestId('consumed').textContent()).toBe('0 of 5 (within the limit)');

    // An ARN nobody reported is refused, beside the form.
    await page.getByLabel('Resource ARN').fill('arn:aws:ec2:us-east-1:111111111111:instance/i-0000000000000dead');
    await page.getByRole('button', { name: 'Associate resource' }).click();
    const refusal = page.getByRole('region', { name: 'Associated resources' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(\w+Exception\)$/);

    await page.getByLabel('Resource ARN').fill(instanceArn);
    await page.getByRole('button', { name: 'Associate resource' }).click();
    await page.getByRole('cell', { name: instanceArn }).first().waitFor();
    // Consumption is licensing's projection of the association: the page reads it again until it shows.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          await page.getByTestId('consumed').waitFor();
          return page.getByTestId('consumed').textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('4 of 5 (near the limit)');
    const consumption = page.getByRole('region', { name: 'Consumption' });
    expect(await consumption.getByText('EC2_INSTANCE: 4').isVisible()).toBe(true);
    expect(await consumption.getByRole('row', { name: new RegExp(`${instanceArn}.*4`) }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'console-license-detail');

    await goTo(page, 'Dashboard');
    const limits = page.getByRole('region', { name: 'Near or over their limits' });
    const row = limits.getByRole('row', { name: /SQL Server Standard/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/4 of 5.*Soft.*Near the limit/);
    // The inventory by platform: the instance reported with its platform.
    const platforms = page.getByRole('region', { name: 'Resources by platform' });
    await platforms.getByRole('row', { name: 'Windows 1' }).waitFor();
    await expectAccessible(page);
  });

  it('shows a hard limit’s refusals: beside the association form, and a refused launch among the recent failures', async () => {
    const [first, second] = await reportResources(bed.system, [
      instance('i-0c0501e0000000002'),
      instance('i-0c0501e0000000003'),
    ]);
    const { page } = await signedIn();
    await createThroughConsole(page, 'Oracle Enterprise', { countingType: 'vCPU', count: '4', hardLimit: true });
    await page.getByLabel('Resource ARN').fill(first);
    await page.getByRole('button', { name: 'Associate resource' }).click();
    await page.getByRole('cell', { name: first }).first().waitFor();
    await page.getByLabel('Resource ARN').fill(second);
    await page.getByRole('button', { name: 'Associate resource' }).click();
    const refusal = page.getByRole('region', { name: 'Associated resources' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(LicenseUsageException\)$/);
    await expectAccessible(page);
    // Disassociating the first makes room for the second.
    await page.getByRole('button', { name: `Disassociate ${first}` }).click();
    await page.getByText('No resource is associated.').waitFor();
    await page.getByRole('button', { name: 'Associate resource' }).click();
    await page.getByRole('cell', { name: second }).first().waitFor();

    // A launch the hard limit refuses (launch admission, this product's extensions API) goes on the
    // configuration's record, which the dashboard lists.
    const arn = decodeURIComponent(new URL(page.url()).hash.replace('#/licenses/', ''));
    const launch = await rawRequest(bed.system, {
      account: accounts.management,
      path: '/launch/AuthorizeLaunch',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ResourceId: 'i-0c0501e0000000004',
        ResourceType: 'EC2_INSTANCE',
        VCpuCount: 2,
        LicenseConfigurationArns: [arn],
      }),
    });
    expect(launch.status).toBe(412);
    await goTo(page, 'Dashboard');
    const failures = page.getByRole('region', { name: 'Recent failures' });
    const row = failures.getByRole('row', { name: /i-0c0501e0000000004/ });
    // On the record once licensing has projected it: the dashboard reads again until then.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          await failures.waitFor();
          return row.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await row.textContent()).toMatch(/Oracle Enterprise.*AuthorizeLaunch/);
    await expectAccessible(page);
  });

  it('shows another account none of the first account’s data', async () => {
    const owner = await signedIn();
    // A past expiry date is taken (the licences are expired at once): one more figure the outsider must not see.
    await createThroughConsole(owner.page, 'Owned by the management account', { expiry: '2020-01-31' });
    expect(await owner.page.getByTestId('expiry').textContent()).toBe('2020-01-31 23:59:59 UTC (expired)');
    const ownersPage = owner.page.url();

    const { page } = await signedIn(accounts.outsider);
    const figures = page.getByRole('region', { name: 'Self-managed licenses' });
    await figures.waitFor();
    expect(await figures.getByRole('definition').allTextContents()).toEqual(['0', '0', '0', '0']);
    await page.getByText('No resource has been reported to the inventory.').waitFor();
    await goTo(page, 'Self-managed licenses');
    await page.getByText('No license configuration yet.').waitFor();
    // The owner's page, addressed directly: the API says it does not exist for this account.
    await page.goto(ownersPage);
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/does not exist.*\(InvalidParameterValueException\)/);
    expect(await page.getByText('Owned by the management account').count()).toBe(0);
    await expectAccessible(page);
  });

  it('fits a phone-sized window on every page', async () => {
    const [instanceArn] = await reportResources(bed.system, [instance('i-0c0501e0000000005')]);
    const { page } = await open(PHONE);
    await expectFitsWidth(page);
    await signIn(page, accounts.management);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await expectFitsWidth(page);
    await goTo(page, 'Self-managed licenses');
    await page.getByRole('link', { name: 'Create self-managed license' }).click();
    await page.getByRole('heading', { name: 'Create self-managed license' }).waitFor();
    await expectFitsWidth(page);
    await expectAccessible(page);
    await createThroughConsole(page, 'Phone-sized', { countingType: 'vCPU', count: '8' });
    await page.getByLabel('Resource ARN').fill(instanceArn);
    await page.getByRole('button', { name: 'Associate resource' }).click();
    await page.getByRole('cell', { name: instanceArn }).first().waitFor();
    await expectFitsWidth(page);
    await expectAccessible(page);
    await screenshot(page, 'console-phone-detail');
    await goTo(page, 'Self-managed licenses');
    await page.getByRole('link', { name: 'Phone-sized' }).waitFor();
    await expectFitsWidth(page);
  });

  it('says a part whose service is not running is not part of this deployment, and shows the rest', async () => {
    // The gateway answers 501 NotImplementedException for an operation nobody serves.
    await bed.system.kill('discovery');
    try {
      const { page } = await signedIn();
      const platforms = page.getByRole('region', { name: 'Resources by platform' });
      // Its status says "Loading…" first, then the note.
      const note = platforms.getByRole('status').filter({ hasNotText: 'Loading' });
      await note.waitFor();
      expect(await note.textContent()).toBe('The resource inventory: not part of this deployment.');
      expect(await platforms.getByRole('alert').count()).toBe(0);
      // The configurations, licensing's, are there all the same.
      await page.getByRole('region', { name: 'Near or over their limits' }).waitFor();
      await expectAccessible(page);
    } finally {
      await bed.system.restart('discovery');
    }
  });

  it('signs out and forgets the keys: none in storage, cookies, the URL or the page', async () => {
    const { context, page } = await signedIn();
    const secret = credentialsOf(accounts.management).secretAccessKey;
    const traces = async () => ({
      url: page.url(),
      cookies: JSON.stringify(await context.cookies()),
      storage: JSON.stringify(await context.storageState()),
      // Expressions, not functions: the test's compiler would rewrite a function's spread into helpers the page lacks.
      webStorage: await page.evaluate<string>(
        'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
      ),
      databases: await page.evaluate<string>('indexedDB.databases().then(JSON.stringify)'),
      html: await page.content(),
    });
    // Signed in, the secret is in the tab's memory only.
    for (const [where, text] of Object.entries(await traces())) expect(text, where).not.toContain(secret);

    await page.goto(`${bed.system.endpoint}/console/#/licenses`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The next person starts at the dashboard, not on the page this one left.
    expect(new URL(page.url()).hash).toBe('#/');
    for (const [where, text] of Object.entries(await traces())) {
      expect(text, where).not.toContain(secret);
      expect(text, where).not.toContain(credentialsOf(accounts.management).accessKeyId);
    }
    // Back to a signed-in page: the console asks to sign in again.
    await page.goto(`${bed.system.endpoint}/console/#/licenses`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page);
  });
});

/**
 * Temporary credentials as a customer without an account gets them: the seller's licence and refresh
 * token, GetAccessToken, then STS AssumeRoleWithWebIdentity (limited to consuming that licence).
 */
async function temporaryCredentials(system: RunningSystem) {
  const seller = licenseManager(system, accounts.management);
  const { LicenseArn } = await seller.send(
    new CreateLicenseCommand({
      LicenseName: 'Console Pro',
      ProductName: 'Console',
      ProductSKU: 'console-pro',
      Issuer: { Name: 'Example ISV' },
      HomeRegion: system.region,
      Validity: { Begin: new Date(Date.now() - 86_400_000).toISOString() },
      Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }],
      Beneficiary: 'console-customer',
      ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      ClientToken: randomUUID(),
    }),
  );
  const { Token } = await seller.send(
    new CreateTokenCommand({ LicenseArn, RoleArns: [CONSUMPTION_ROLE], ClientToken: randomUUID() }),
  );
  const { AccessToken } = await licenseManager(system, accounts.outsider).send(new GetAccessTokenCommand({ Token }));
  const assumed = await assumeRoleWithWebIdentity(system, {
    accessToken: AccessToken!,
    roleArn: CONSUMPTION_ROLE,
    sessionName: 'console-customer',
  });
  expect(assumed.error).toBeUndefined();
  return assumed.credentials!;
}

const CONSUMPTION_ROLE = `arn:aws:iam::${accounts.management.accountId}:role/AWSLicenseManagerConsumptionRole`;

const instance = (resourceId: string) => ({
  accountId: accounts.management.accountId,
  resourceId,
  resourceType: 'EC2_INSTANCE' as const,
  state: 'running' as const,
  vCpuCount: 4,
  coreCount: 2,
  threadsPerCore: 2,
  tenancy: 'default' as const,
});

import { randomUUID } from 'node:crypto';
import {
  CheckoutLicenseCommand,
  CreateGrantCommand,
  CreateLicenseCommand,
  GetLicenseCommand,
} from '@aws-sdk/client-license-manager';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, expectFitsWidth, PHONE, screenshot } from '../support/browser';
import { licenseManager } from '../support/clients';
import { consoleTestBed, goTo, SETTLED } from '../support/console';
import { accounts, principals } from '../support/system';

/**
 * The console's Issued licenses (seller) and Granted licenses (buyer) in Debian's Chromium against the
 * whole system: a licence created and granted in one browser context, accepted in another signed in as
 * the member account, each page checked with axe-core.
 */
describe('the web console’s issued and granted licenses', () => {
  const bed = consoleTestBed('console-grants');
  const { signedIn } = bed;

  /** A licence valid from yesterday with ten Users, issued through the SDK. */
  const createLicense = async (name: string, sku: string, issuer = accounts.management) => {
    const { LicenseArn } = await licenseManager(bed.system, issuer).send(
      new CreateLicenseCommand({
        LicenseName: name,
        ProductName: name,
        ProductSKU: sku,
        Issuer: { Name: 'Example ISV' },
        HomeRegion: bed.system.region,
        Validity: { Begin: new Date(Date.now() - 86_400_000).toISOString() },
        Entitlements: [{ Name: 'Users', Unit: 'Count', MaxCount: 10 }],
        Beneficiary: 'customer@example.com',
        ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    );
    return LicenseArn!;
  };
  const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
  /** A form of the console's ActionForm, by its legend. */
  const form = (page: Page, legend: string) =>
    page.locator('form').filter({ has: page.getByRole('group', { name: legend, exact: true }) });
  /** The status cell of a grant's row, in the named section: the row with the grant's name, or matching a pattern. */
  const grantStatus = (page: Page, section: string, grant: string | RegExp) =>
    region(page, section)
      .getByRole('row', { name: typeof grant === 'string' ? new RegExp(grant) : grant })
      .getByTestId('grant-status');
  /** Reads the page again (Refresh) until the grant shows the status: the other side changed it. */
  const refreshedUntil = async (page: Page, section: string, grant: string | RegExp, status: string) =>
    expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await region(page, section).getByRole('table').waitFor();
        return grantStatus(page, section, grant).textContent();
      }, SETTLED)
      .toBe(status);

  it('creates a licence and grants it to a member account, which accepts and activates it in a second browser: active on both sides', async () => {
    const seller = await signedIn(accounts.management);
    const page = seller.page;
    await goTo(page, 'Issued licenses');
    await page.getByText('No license issued yet.').waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Create license' }).click();
    await page.getByRole('heading', { name: 'Create license' }).waitFor();
    await page.getByLabel('License name').fill('Analytics Pro');
    await page.getByLabel('Product name').fill('Analytics');
    await page.getByLabel('Product SKU').fill('console-analytics');
    await page.getByLabel('Recipient (company or individual)').fill('customer@example.com');
    await page.getByLabel('Issuer name').fill('Example ISV');
    await expect(page.getByLabel('Home Region').inputValue()).resolves.toBe(bed.system.region);
    // A capability without a count cannot be exceeded: the API's refusal shows under the entitlements.
    await page.getByLabel('Name', { exact: true }).fill('Users');
    await page.getByLabel('Unit type').selectOption('None');
    await page.getByLabel('Overages allowed').check();
    await page.getByRole('button', { name: 'Create license' }).click();
    const refusal = page.getByRole('group', { name: 'Entitlements' }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Entitlement Users has Unit None: it has no count to exceed (Overage). (ValidationException)',
    );
    await expectAccessible(page);
    await screenshot(page, 'console-grants-create-bad-entitlement');

    await page.getByLabel('Unit type').selectOption('Count');
    await page.getByLabel('Overages allowed').uncheck();
    await page.getByLabel(/^Maximum count/).fill('10');
    await page.getByLabel('Allow check in').check();
    await page.getByRole('button', { name: 'Create license' }).click();
    await page.getByRole('heading', { name: 'Analytics Pro' }).waitFor();
    const licenseArn = (await region(page, 'License details').locator('dd.arn').textContent())!;
    expect(licenseArn).toMatch(/^arn:aws:license-manager::111111111111:license:l-[0-9a-f]{32}$/);
    expect(await page.getByTestId('license-status').textContent()).toBe('Available');
    await region(page, 'Entitlements').getByRole('row', { name: 'Users Count 10 Allowed Not allowed' }).waitFor();
    await expect.poll(() => page.getByTestId('usage').textContent(), SETTLED).toBe('Users: 0 of 10 Count');
    await region(page, 'Versions')
      .getByRole('row', { name: /^1 Analytics Pro Available/ })
      .waitFor();

    // A recipient that is neither an account nor an organization: the API's refusal beside the grant form.
    const grantForm = page.getByRole('group', { name: 'Create grant' });
    await grantForm.getByLabel('Grant name').fill('Member seats');
    await grantForm.getByLabel(/^Recipient/).fill('not-a-principal');
    await grantForm.getByRole('button', { name: 'Create grant' }).click();
    const grantRefusal = grantForm.getByRole('alert');
    await grantRefusal.waitFor();
    expect(await grantRefusal.textContent()).toMatch(
      /not-a-principal.*\((InvalidParameterValue|Validation)Exception\)$/,
    );
    await grantForm.getByLabel(/^Recipient/).fill(accounts.member.accountId);
    await grantForm.getByRole('button', { name: 'Create grant' }).click();
    await expect
      .poll(() => grantStatus(page, 'Grants', 'Member seats').textContent(), SETTLED)
      .toBe('Pending acceptance');
    expect(await grantForm.getByRole('alert').count()).toBe(0);
    const row = region(page, 'Grants').getByRole('row', { name: /Member seats/ });
    expect(await row.textContent()).toContain(`Account ${accounts.member.accountId}`);
    // Nothing for the seller to do until the member has accepted, but to delete it.
    expect(await row.getByRole('button').allTextContents()).toEqual(['Delete grant']);
    await expectAccessible(page);

    // The member account, in a second browser context: the licence waits for its acceptance.
    const member = await signedIn(accounts.member);
    await goTo(member.page, 'Granted licenses');
    const listed = member.page.getByRole('row', { name: /Analytics Pro/ });
    await listed.waitFor();
    expect(await listed.textContent()).toMatch(/console-analytics.*Example ISV.*Available.*Pending acceptance/);
    await expectAccessible(member.page);
    await listed.getByRole('link', { name: 'Analytics Pro' }).click();
    await member.page.getByRole('heading', { name: 'Analytics Pro' }).waitFor();
    await expect
      .poll(() => grantStatus(member.page, 'Your grants', 'Member seats').textContent(), SETTLED)
      .toBe('Pending acceptance');
    await expectAccessible(member.page);
    await member.page.getByRole('button', { name: 'Accept & activate license: Member seats' }).click();
    await expect
      .poll(() => grantStatus(member.page, 'Your grants', 'Member seats').textContent(), SETTLED)
      .toBe('Active');

    // Active on the seller's side too, where it may now be deactivated.
    await refreshedUntil(page, 'Grants', 'Member seats', 'Active');
    await row.getByRole('button', { name: 'Deactivate license: Member seats' }).waitFor();

    // The member deactivates and activates it again (CreateGrantVersion), and consumes seats: the usage chart.
    await member.page.getByRole('button', { name: 'Deactivate license: Member seats' }).click();
    await expect
      .poll(() => grantStatus(member.page, 'Your grants', 'Member seats').textContent(), SETTLED)
      .toBe('Disabled');
    await member.page.getByRole('button', { name: 'Activate license: Member seats' }).click();
    await expect
      .poll(() => grantStatus(member.page, 'Your grants', 'Member seats').textContent(), SETTLED)
      .toBe('Active');
    const { License } = await licenseManager(bed.system, accounts.member).send(
      new GetLicenseCommand({ LicenseArn: licenseArn }),
    );
    await licenseManager(bed.system, accounts.member).send(
      new CheckoutLicenseCommand({
        ProductSKU: 'console-analytics',
        KeyFingerprint: License!.Issuer!.KeyFingerprint!,
        CheckoutType: 'PROVISIONAL',
        Entitlements: [{ Name: 'Users', Unit: 'Count', Value: '3' }],
        ClientToken: randomUUID(),
      }),
    );
    await expect
      .poll(async () => {
        await member.page.getByRole('button', { name: 'Refresh' }).click();
        return member.page.getByTestId('usage').textContent();
      }, SETTLED)
      .toBe('Users: 3 of 10 Count');
    await expectAccessible(member.page);
    await screenshot(member.page, 'console-grants-granted-license');
    await refreshedUntil(page, 'Grants', 'Member seats', 'Active');
    await expect.poll(() => page.getByTestId('usage').textContent(), SETTLED).toBe('Users: 3 of 10 Count');
    await expectAccessible(page);
    await screenshot(page, 'console-grants-issued-license');
  }, 240_000);

  it('grants to an OU, whose accounts receive it accepted; a member rejects a grant pending its acceptance', async () => {
    const licenseArn = await createLicense('Reporting Suite', 'console-reporting');
    const { page } = await signedIn(accounts.management);
    await page.goto(`/console/#/issued-licenses/${encodeURIComponent(licenseArn)}`);
    await page.getByRole('heading', { name: 'Reporting Suite' }).waitFor();
    const grantForm = page.getByRole('group', { name: 'Create grant' });
    const grant = async (name: string, recipient: string) => {
      await grantForm.getByLabel('Grant name').fill(name);
      await grantForm.getByLabel(/^Recipient/).fill(recipient);
      await grantForm.getByRole('button', { name: 'Create grant' }).click();
      await region(page, 'Grants')
        .getByRole('row', { name: new RegExp(name) })
        .first()
        .waitFor();
    };
    await grant('Engineering', principals.engineeringOu);
    await refreshedUntil(page, 'Grants', /Engineering.*OU ou-lmdv-engineering/, 'Workflow completed');
    // Its sub-grants, one per account of the OU and its nested OU, each to activate on its own.
    for (const account of [accounts.member, accounts.nestedMember]) {
      const subGrant = new RegExp(`Engineering.*Account ${account.accountId}`);
      expect(await grantStatus(page, 'Grants', subGrant).textContent()).toBe('Disabled');
      await region(page, 'Grants')
        .getByRole('row', { name: subGrant })
        .getByRole('button', { name: 'Activate license' })
        .waitFor();
    }
    await grant('Direct offer', accounts.member.accountId);
    await expectAccessible(page);

    // The member's sub-grant of the OU's is accepted (Disabled, to activate); the direct one waits for it.
    const member = await signedIn(accounts.member);
    await member.page.goto(`/console/#/granted-licenses/${encodeURIComponent(licenseArn)}`);
    await member.page.getByRole('heading', { name: 'Reporting Suite' }).waitFor();
    await expect
      .poll(() => grantStatus(member.page, 'Your grants', 'Engineering').textContent(), SETTLED)
      .toBe('Disabled');
    expect(await grantStatus(member.page, 'Your grants', 'Direct offer').textContent()).toBe('Pending acceptance');
    await member.page.getByRole('button', { name: 'Reject license: Direct offer' }).click();
    await expect
      .poll(() => grantStatus(member.page, 'Your grants', 'Direct offer').textContent(), SETTLED)
      .toBe('Rejected');
    // Rejected for good: nothing left to do with it.
    expect(
      await region(member.page, 'Your grants')
        .getByRole('row', { name: /Direct offer/ })
        .getByRole('button')
        .count(),
    ).toBe(0);
    await expectAccessible(member.page);
    await refreshedUntil(page, 'Grants', 'Direct offer', 'Rejected');
  }, 240_000);

  it('versions a licence, shows a token once, lets the member replace an active grant, deletes a grant and the licence; the management account sees its organization’s licences', async () => {
    const licenseArn = await createLicense('Design Studio', 'console-design');
    const { page } = await signedIn(accounts.management);
    await page.goto(`/console/#/issued-licenses/${encodeURIComponent(licenseArn)}`);
    await page.getByRole('heading', { name: 'Design Studio' }).waitFor();

    // A new version, from the current one: renamed, with twenty Users.
    await page.getByRole('button', { name: 'Create new version' }).click();
    const version = form(page, 'New license version');
    await version.getByLabel('License name').fill('Design Studio 2');
    await version.getByLabel('Maximum count of Users').fill('20');
    await version.getByRole('button', { name: 'Create version' }).click();
    await page.getByRole('heading', { name: 'Design Studio 2' }).waitFor();
    await region(page, 'Versions')
      .getByRole('row', { name: /^2 Design Studio 2 Available/ })
      .waitFor();
    await region(page, 'Entitlements')
      .getByRole('row', { name: /^Users Count 20/ })
      .waitFor();

    // A token: its text shown once, kept nowhere, then deleted.
    const tokenForm = form(page, 'Create token');
    await tokenForm.getByLabel(/^Expiration in days/).fill('30');
    await tokenForm.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByLabel('Token', { exact: true });
    await shown.waitFor();
    const token = await shown.inputValue();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const tokenRow = region(page, 'Token list').getByRole('row').nth(1);
    await expect.poll(() => tokenRow.textContent(), SETTLED).toMatch(/^[0-9a-f]{32}/);
    await expectAccessible(page);
    await screenshot(page, 'console-grants-token-once');
    expect(
      await page.evaluate<string>('JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie'),
    ).not.toContain(token);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.content()).not.toContain(token);
    await tokenRow.getByRole('button', { name: /^Delete token/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete token' }).click();
    await expect.poll(() => tokenRow.textContent(), SETTLED).toContain('DELETED');

    // Two grants to the member: with one active, the other activates only replacing it.
    const grantForm = page.getByRole('group', { name: 'Create grant' });
    for (const name of ['Seats A', 'Seats B']) {
      await grantForm.getByLabel('Grant name').fill(name);
      await grantForm.getByLabel(/^Recipient/).fill(accounts.member.accountId);
      await grantForm.getByRole('button', { name: 'Create grant' }).click();
      await expect.poll(() => grantStatus(page, 'Grants', name).textContent(), SETTLED).toBe('Pending acceptance');
    }
    const member = await signedIn(accounts.member);
    await member.page.goto(`/console/#/granted-licenses/${encodeURIComponent(licenseArn)}`);
    await member.page.getByRole('button', { name: 'Accept & activate license: Seats A' }).click();
    await expect.poll(() => grantStatus(member.page, 'Your grants', 'Seats A').textContent(), SETTLED).toBe('Active');
    await member.page.getByRole('button', { name: 'Accept license: Seats B' }).click();
    await expect.poll(() => grantStatus(member.page, 'Your grants', 'Seats B').textContent(), SETTLED).toBe('Disabled');
    await member.page.getByRole('button', { name: 'Activate license: Seats B' }).click();
    const seatsB = region(member.page, 'Your grants').getByRole('row', { name: /Seats B/ });
    await expect
      .poll(() => seatsB.getByRole('alert').textContent(), SETTLED)
      .toMatch(/already ACTIVE.*\(ValidationException\)$/);
    await member.page.getByLabel('Activation override behavior').selectOption('ALL_GRANTS_PERMITTED_BY_ISSUER');
    await member.page.getByRole('button', { name: 'Activate license: Seats B' }).click();
    await expect.poll(() => grantStatus(member.page, 'Your grants', 'Seats B').textContent(), SETTLED).toBe('Active');
    await expectAccessible(member.page);

    // The seller deletes the first grant once confirmed.
    await refreshedUntil(page, 'Grants', 'Seats B', 'Active');
    await page.getByRole('button', { name: 'Delete grant: Seats A' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete grant' }).click();
    await refreshedUntil(page, 'Grants', 'Seats A', 'Deleted');

    // The organization administrator's License summary: the product, the member's one receipt of it
    // (the deleted grant counted among the statuses only), and the seats the member checked out.
    const { License } = await licenseManager(bed.system, accounts.member).send(
      new GetLicenseCommand({ LicenseArn: licenseArn }),
    );
    await licenseManager(bed.system, accounts.member).send(
      new CheckoutLicenseCommand({
        ProductSKU: 'console-design',
        KeyFingerprint: License!.Issuer!.KeyFingerprint!,
        CheckoutType: 'PROVISIONAL',
        Entitlements: [{ Name: 'Users', Unit: 'Count', Value: '2' }],
        ClientToken: randomUUID(),
      }),
    );
    await goTo(page, 'Granted licenses');
    await page.getByRole('button', { name: 'License summary' }).click();
    const product = region(page, 'Product list').getByRole('row', { name: /^Design Studio console-design/ });
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await region(page, 'Product list').waitFor();
        return (await product.getByRole('cell').allTextContents()).slice(2);
      }, SETTLED)
      .toEqual(['1', '1', '1', 'Active 1, Deleted 1', 'Users: 2 of 20 Count']);
    expect(Number(await page.getByTestId('total-granted-licenses').textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getByTestId('total-accounts').textContent())).toBeGreaterThanOrEqual(1);
    await expectAccessible(page);
    await screenshot(page, 'console-grants-license-summary');

    // The aggregated licences: those its accounts received, and their grants.
    await page.getByRole('button', { name: 'Aggregated licenses' }).click();
    await page.getByRole('button', { name: 'Grants of Design Studio 2' }).click();
    const orgGrant = region(page, 'Organization grant list').getByRole('row', { name: /Seats B/ });
    await expect.poll(() => orgGrant.textContent(), SETTLED).toContain(`Account ${accounts.member.accountId}Active`);
    await expectAccessible(page);
    await screenshot(page, 'console-grants-organization');

    // Deleted once confirmed: listed as such among the issued licences.
    await page.goto(`/console/#/issued-licenses/${encodeURIComponent(licenseArn)}`);
    await page.getByRole('button', { name: 'Delete license: Design Studio 2' }).click();
    await expectAccessible(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Delete license' }).click();
    await page.getByRole('heading', { name: 'Issued licenses' }).waitFor();
    await expect
      .poll(() => page.getByRole('row', { name: /Design Studio 2/ }).textContent(), SETTLED)
      .toContain('Deleted');
  }, 240_000);

  it('shows another account none of the first account’s licences and grants', async () => {
    const LicenseArn = await createLicense('Owned by the management account', 'console-private');
    const { page } = await signedIn(accounts.outsider);
    await goTo(page, 'Issued licenses');
    await page.getByText('No license issued yet.').waitFor();
    await goTo(page, 'Granted licenses');
    await page.getByText('No license has been granted to this account.').waitFor();
    await expectAccessible(page);
    // The licence's pages, addressed directly: the API says it does not exist for this account.
    for (const kind of ['issued', 'granted']) {
      await page.goto(`/console/#/${kind}-licenses/${encodeURIComponent(LicenseArn!)}`);
      const refusal = page.getByRole('alert').first();
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/\(InvalidParameterValueException\)$/);
      expect(await page.getByText('Owned by the management account').count()).toBe(0);
      expect(await page.getByText('console-private').count()).toBe(0);
    }
    await expectAccessible(page);
  }, 120_000);

  it('pages through issued licences with the API’s tokens and filters them by product SKU', async () => {
    const owner = accounts.nestedMember;
    for (let index = 1; index <= 11; index++)
      await createLicense(`Paged ${String(index).padStart(2, '0')}`, `paged-${index}`, owner);
    const { page } = await signedIn(owner);
    await goTo(page, 'Issued licenses');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count(), SETTLED).toBe(10);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(() => rows.allTextContents(), SETTLED).toEqual([expect.stringMatching(/^Paged 11/)]);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count(), SETTLED).toBe(10);
    await page.getByLabel('Product SKU').fill('paged-7');
    await expect.poll(() => rows.allTextContents(), SETTLED).toEqual([expect.stringMatching(/^Paged 07/)]);
    await page.getByLabel('Status').selectOption('DEACTIVATED');
    await page.getByText('No license matches these filters.').waitFor();
    await expectAccessible(page);
  }, 120_000);

  it('fits a phone-sized window on the granted and issued licence pages', async () => {
    const licenseArn = await createLicense('Phone-sized', 'console-phone');
    await licenseManager(bed.system, accounts.management).send(
      new CreateGrantCommand({
        GrantName: 'Phone grant',
        LicenseArn: licenseArn,
        Principals: [principals.account(accounts.member)],
        HomeRegion: bed.system.region,
        AllowedOperations: ['CheckoutLicense', 'CheckInLicense'],
        ClientToken: randomUUID(),
      }),
    );
    const member = await signedIn(accounts.member, PHONE);
    await goTo(member.page, 'Granted licenses');
    await member.page.getByRole('link', { name: 'Phone-sized' }).click();
    await member.page.getByRole('button', { name: 'Accept & activate license: Phone grant' }).waitFor();
    await expectFitsWidth(member.page);
    await expectAccessible(member.page);
    const seller = await signedIn(accounts.management, PHONE);
    await goTo(seller.page, 'Issued licenses');
    await seller.page.getByRole('link', { name: 'Phone-sized' }).waitFor();
    await expectFitsWidth(seller.page);
    await seller.page.getByRole('link', { name: 'Create license' }).click();
    await seller.page.getByRole('heading', { name: 'Create license' }).waitFor();
    await expectFitsWidth(seller.page);
  }, 120_000);
});

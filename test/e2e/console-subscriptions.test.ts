import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectFitsWidth, PHONE, screenshot } from '../support/browser';
import { awsCli } from '../support/clients';
import { consoleTestBed, goTo, SETTLED } from '../support/console';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from '../support/directory';
import { reportResources, type ObservedResource } from '../support/inventory';
import { accounts } from '../support/system';

const owner = accounts.member;
const DIRECTORY_ID = 'd-0c1d2e3f4a';
const SUBNET = 'subnet-0c0ffee0c0ffee001';
const INSTANCE = 'i-0c0ffee0000000001';
const SECRET = 'license-manager-user-admin';
/** An instance in the directory's subnet, as the inventory reports it. */
const instance: ObservedResource = {
  accountId: owner.accountId,
  resourceId: INSTANCE,
  resourceType: 'EC2_INSTANCE',
  state: 'running',
  subnetId: SUBNET,
};

/**
 * The console's user-based subscriptions and Linux subscriptions pages changing things, in Debian's
 * Chromium against the whole system and a real directory (a private slapd): an identity provider
 * registered with the guide's Active Directory form, users subscribed, associated with a reported
 * instance, disassociated and unsubscribed, a license server endpoint created and deleted, the
 * provider deregistered; Linux discovery's settings updated; rulesets and asset groups created, edited
 * and deleted. Refusals show beside their form or row.
 */
describe('the web console’s subscription and asset group pages', { timeout: 240_000 }, () => {
  let directory: TestDirectory;
  beforeAll(async () => {
    directory = await startDirectory();
  }, 60_000);
  afterAll(async () => {
    await directory?.destroy();
  });
  const bed = consoleTestBed('console-subscriptions', () => ({ LM_DIRECTORY_LDAP_PORT: String(directory.port) }));

  const table = (page: Page, name: string) => page.getByRole('region', { name });
  const row = (page: Page, list: string, text: string) => table(page, list).getByRole('row').filter({ hasText: text });
  /** Refresh until the row of `text` in `list` shows `status` (the service's steps settle after the answer). */
  const settled = (page: Page, list: string, text: string, status: string) =>
    expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        const found = row(page, list, text);
        return (await found.count()) === 1 ? found.textContent() : '';
      }, SETTLED)
      .toContain(status);
  const form = (page: Page, legend: string) =>
    page.locator('form').filter({ has: page.getByText(legend, { exact: true }) });

  it('registers a directory, subscribes and associates a user, creates a license server endpoint, then undoes each in order', async () => {
    const secret = await awsCli(bed.system, owner, [
      'secretsmanager',
      'create-secret',
      '--name',
      SECRET,
      '--secret-string',
      JSON.stringify(ADMINISTRATOR),
    ]);
    expect(secret.stderr).toBe('');
    const { page } = await bed.signedIn(owner);
    await goTo(page, 'User-based subscriptions');
    await page.getByRole('heading', { name: 'Identity providers' }).waitFor();
    await expectAccessible(page);

    // The guide's form: the directory with its domain, DNS, secret and subnets for RDS SAL; then the
    // directory's ID alone for Visual Studio.
    const register = form(page, 'Register identity provider');
    await register.getByLabel('Product').selectOption('REMOTE_DESKTOP_SERVICES');
    await register.getByLabel('Directory ID').fill(DIRECTORY_ID);
    await register.getByLabel('Domain name (optional)').fill(directory.domainName);
    await register.getByLabel(/^DNS IPv4 addresses/).fill(directory.host);
    await register.getByLabel(/^Secrets Manager secret/).fill(SECRET);
    await register.getByLabel(/^Subnets/).fill(SUBNET);
    await register.getByLabel(/^VPC security group/).fill('sg-0c0ffee0c0ffee001');
    await register.getByRole('button', { name: 'Register' }).click();
    await settled(page, 'Identity provider list', 'REMOTE_DESKTOP_SERVICES', 'REGISTERED');
    await register.getByLabel('Product').selectOption('VISUAL_STUDIO_ENTERPRISE');
    await register.getByLabel('Directory ID').fill(DIRECTORY_ID);
    await register.getByLabel(/^Subnets/).fill(SUBNET);
    await register.getByLabel(/^VPC security group/).fill('sg-0c0ffee0c0ffee001');
    await register.getByRole('button', { name: 'Register' }).click();
    await settled(page, 'Identity provider list', 'VISUAL_STUDIO_ENTERPRISE', 'REGISTERED');
    // A directory unknown, by its ID alone: refused beside the form.
    await register.getByLabel('Directory ID').fill('d-0000000000');
    await register.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => register.getByRole('alert').textContent(), SETTLED).toMatch(/\(\w+Exception\)$/);

    // The RDS SAL provider's VPC settings edited: a security group that is not one refused beside the
    // form, then a second subnet and another security group saved and shown in its row.
    await page.getByRole('button', { name: `Edit settings of REMOTE_DESKTOP_SERVICES in ${DIRECTORY_ID}` }).click();
    const settings = form(page, `Settings of REMOTE_DESKTOP_SERVICES in ${DIRECTORY_ID}`);
    expect(await settings.getByLabel(/^Subnets/).inputValue()).toBe(SUBNET);
    await settings.getByLabel('VPC security group').fill('sg-nope');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => settings.getByRole('alert').textContent(), SETTLED)
      .toMatch(/sg-nope.*\(ValidationException\)$/);
    await expectAccessible(page);
    await settings.getByLabel(/^Subnets/).fill(`${SUBNET}, subnet-0c0ffee0c0ffee002`);
    await settings.getByLabel('VPC security group').fill('sg-0c0ffee0c0ffee002');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settled(
      page,
      'Identity provider list',
      'REMOTE_DESKTOP_SERVICES',
      `${SUBNET}, subnet-0c0ffee0c0ffee002; sg-0c0ffee0c0ffee002`,
    );
    expect(await settings.count()).toBe(0);

    // Users of Visual Studio: alice subscribed (with RDS SAL); a user the directory lacks refused.
    await page.getByRole('button', { name: `Users of VISUAL_STUDIO_ENTERPRISE in ${DIRECTORY_ID}` }).click();
    const subscribe = form(page, 'Subscribe a user to VISUAL_STUDIO_ENTERPRISE');
    await subscribe.getByLabel('User name').fill('nobody');
    await subscribe.getByRole('button', { name: 'Subscribe' }).click();
    await expect.poll(() => subscribe.getByRole('alert').textContent(), SETTLED).toMatch(/ResourceNotFoundException/);
    await subscribe.getByLabel('User name').fill('alice');
    await subscribe.getByRole('button', { name: 'Subscribe' }).click();
    await settled(page, 'Subscribed user list', 'alice', 'SUBSCRIBED');

    // The instance reported in the directory's subnet; alice associated with it.
    await reportResources(bed.system, [instance]);
    await settled(page, 'Instance list', INSTANCE, 'ACTIVE');
    await page.getByRole('button', { name: `Users of ${INSTANCE}` }).click();
    const associate = form(page, `Associate a user with ${INSTANCE}`);
    await associate.getByLabel('User name').fill('alice');
    await associate.getByRole('button', { name: 'Associate' }).click();
    await settled(page, 'Associated user list', 'alice', 'ASSOCIATED');
    await expectAccessible(page);
    await screenshot(page, 'console-subscriptions-associated');

    // The guide's order: not unsubscribed while associated (refused in the row), so disassociated first.
    await row(page, 'Subscribed user list', 'alice')
      .getByRole('button', { name: /^Unsubscribe: .*alice$/ })
      .click();
    await expect
      .poll(() => row(page, 'Subscribed user list', 'alice').getByRole('alert').textContent(), SETTLED)
      .toMatch(/ConflictException/);
    await page.getByRole('button', { name: /^Disassociate: .*alice$/ }).click();
    await settled(page, 'Associated user list', 'alice', 'DISASSOCIATED');
    await page.getByRole('button', { name: /^Unsubscribe: .*alice$/ }).click();
    await settled(page, 'Subscribed user list', 'alice', 'UNSUBSCRIBED');

    // A license server endpoint of the RDS SAL provider, then deleted once confirmed.
    const endpoint = form(page, 'Create license server endpoint');
    await endpoint.getByLabel('Secrets Manager secret with the credentials').fill(SECRET);
    await endpoint.getByRole('button', { name: 'Create endpoint' }).click();
    await settled(page, 'License server endpoint list', 'RDS_SAL', 'PROVISION');
    await table(page, 'License server endpoint list')
      .getByRole('button', { name: /^Delete: endpoint/ })
      .click();
    await expectAccessible(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await settled(page, 'License server endpoint list', 'RDS_SAL', 'DELET');

    // Deregistered once confirmed (Cancel first changes nothing), after the guide's prerequisite: the
    // directory's instances terminated, else refused in the provider's row naming them.
    const deregister = `Deregister: VISUAL_STUDIO_ENTERPRISE in ${DIRECTORY_ID}`;
    await page.getByRole('button', { name: deregister }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: deregister }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deregister' }).click();
    await expect
      .poll(
        () => row(page, 'Identity provider list', 'VISUAL_STUDIO_ENTERPRISE').getByRole('alert').textContent(),
        SETTLED,
      )
      .toMatch(new RegExp(`${INSTANCE}.*\\(\\w+Exception\\)$`));
    await reportResources(bed.system, [{ ...instance, state: 'terminated' }]);
    await settled(page, 'Instance list', INSTANCE, 'TERMINATED');
    await page.getByRole('button', { name: deregister }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deregister' }).click();
    // DEREGISTERING, then no longer listed; the RDS SAL registration of the directory stays.
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        await table(page, 'Identity provider list').waitFor();
        const found = row(page, 'Identity provider list', 'VISUAL_STUDIO_ENTERPRISE');
        return (await found.count()) === 0 ? 'not listed' : found.textContent();
      }, SETTLED)
      .toMatch(/DEREGISTERING|not listed/);
    expect(await row(page, 'Identity provider list', 'REMOTE_DESKTOP_SERVICES').textContent()).toContain('REGISTERED');
    expect(await page.getByRole('alert').count()).toBe(1); // the refused registration's, still beside its form
    await expectAccessible(page);
  });

  it('updates Linux subscriptions discovery and shows a refused provider registration beside its form', async () => {
    const { page } = await bed.signedIn(owner);
    await goTo(page, 'Linux subscriptions');
    const settings = form(page, 'Discovery settings');
    await settings.getByLabel('Linux subscriptions discovery').selectOption('Enabled');
    await settings.getByLabel(/^Regions to discover/).fill('us-east-1, us-west-2');
    await settings.getByRole('button', { name: 'Update settings' }).click();
    const discovered = page.locator('dt:text-is("Regions discovered") + dd');
    await expect.poll(() => discovered.textContent(), SETTLED).toBe('us-east-1, us-west-2');
    // Once on, a change of Regions needs AllowUpdate: refused without it, beside the form.
    await settings.getByLabel(/^Regions to discover/).fill('us-east-1');
    await settings.getByRole('button', { name: 'Update settings' }).click();
    await expect
      .poll(() => settings.getByRole('alert').textContent(), SETTLED)
      .toMatch(/AllowUpdate.*\(ValidationException\)$/);
    await settings.getByLabel('Allow changing settings already in effect').check();
    await settings.getByRole('button', { name: 'Update settings' }).click();
    await expect.poll(() => discovered.textContent(), SETTLED).toBe('us-east-1');

    const provider = form(page, 'Register subscription provider');
    await provider.getByLabel('Secret ARN').fill('arn:aws:secretsmanager:us-east-1:222222222222:secret:missing-AbCdEf');
    await provider.getByRole('button', { name: 'Register provider' }).click();
    await expect.poll(() => provider.getByRole('alert').textContent(), SETTLED).toMatch(/\(\w+Exception\)$/);
    expect(await table(page, 'Subscription provider list').count()).toBe(0);
    await expectAccessible(page);
  });

  it('creates, edits and deletes a ruleset and an asset group; a ruleset in use and a ruleset without rules are refused', async () => {
    const { page } = await bed.signedIn(owner);
    await goTo(page, 'License asset groups');
    await page.getByText('No license asset group yet.').waitFor();
    await page.getByRole('button', { name: 'Create ruleset' }).click();
    const rulesetForm = form(page, 'Create ruleset');
    await rulesetForm.getByLabel('Ruleset name').fill('Windows fleet');
    await rulesetForm.getByRole('button', { name: 'Create ruleset' }).click();
    await expect.poll(() => rulesetForm.getByRole('alert').textContent(), SETTLED).toMatch(/\(\w+Exception\)$/);
    await rulesetForm.getByLabel('Rule applies to').selectOption('InstanceRuleStatement');
    await rulesetForm.getByLabel('Rule key').selectOption('Platform');
    await rulesetForm.getByLabel(/^Rule values/).fill('Windows');
    await rulesetForm.getByRole('button', { name: 'Add rule' }).click();
    await rulesetForm.getByRole('button', { name: 'Create ruleset' }).click();
    await row(page, 'Ruleset list', 'Windows fleet').getByText('Instance: Platform is Windows').waitFor();
    expect(await rulesetForm.count()).toBe(0);

    await page.getByRole('button', { name: 'Create asset group' }).click();
    const groupForm = form(page, 'Create asset group');
    await groupForm.getByLabel('Asset group name').fill('Windows servers');
    await groupForm.getByLabel('Usage dimension').selectOption('Core');
    await groupForm.getByLabel('Windows fleet').check();
    await groupForm.getByRole('button', { name: 'Create asset group' }).click();
    const group = row(page, 'Asset group list', 'Windows servers');
    await expect.poll(() => group.textContent(), SETTLED).toMatch(/^Windows serversACTIVE1Core/);
    await expectAccessible(page);

    // Edited: renamed and disabled; the ruleset gains a rule on billing products.
    await page.getByRole('button', { name: 'Edit: Windows servers' }).click();
    const editGroup = form(page, 'Edit Windows servers');
    await expect(editGroup.getByLabel('Usage dimension').inputValue()).resolves.toBe('Core');
    expect(await editGroup.getByLabel('Windows fleet').isChecked()).toBe(true);
    await editGroup.getByLabel('Asset group name').fill('Windows servers (paused)');
    await editGroup.getByLabel('Status').selectOption('DISABLED');
    await editGroup.getByRole('button', { name: 'Save asset group' }).click();
    await expect
      .poll(() => row(page, 'Asset group list', 'paused').textContent(), SETTLED)
      .toMatch(/^Windows servers \(paused\)DISABLED1Core/);
    await page.getByRole('button', { name: 'Edit: Windows fleet' }).click();
    const editRuleset = form(page, 'Edit Windows fleet');
    await editRuleset.getByLabel('Rule key').selectOption('EC2BillingProduct');
    await editRuleset.getByLabel('Condition').selectOption('NOT_EQUALS');
    await editRuleset.getByLabel(/^Rule values/).fill('windows-byol');
    await editRuleset.getByRole('button', { name: 'Add rule' }).click();
    await editRuleset.getByRole('button', { name: 'Save ruleset' }).click();
    await row(page, 'Ruleset list', 'Windows fleet')
      .getByText('Instance: EC2BillingProduct is not windows-byol')
      .waitFor();
    await expectAccessible(page);

    // A ruleset a group uses cannot be deleted: refused in its row once confirmed.
    await page.getByRole('button', { name: 'Delete: Windows fleet' }).click();
    await expectAccessible(page);
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    const rulesetRow = row(page, 'Ruleset list', 'Windows fleet');
    await expect.poll(() => rulesetRow.getByRole('alert').textContent(), SETTLED).toMatch(/\(\w+Exception\)$/);
    await screenshot(page, 'console-subscriptions-ruleset-in-use');
    await page.getByRole('button', { name: 'Delete: Windows servers (paused)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No license asset group yet.').waitFor();
    await page.getByRole('button', { name: 'Delete: Windows fleet' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No ruleset yet.').waitFor();

    // AWS managed rulesets are read only.
    await page.getByLabel('Show AWS managed rulesets').check();
    await row(page, 'Ruleset list', 'Ubuntu Pro').getByText('Managed by AWS').waitFor();
    expect(await table(page, 'Ruleset list').getByRole('button').count()).toBe(0);
    await expectAccessible(page);
  });

  it('fits a phone-sized window on the subscription and asset group pages, forms included', async () => {
    const { page } = await bed.signedIn(owner, PHONE);
    for (const link of ['User-based subscriptions', 'Linux subscriptions', 'License asset groups']) {
      await goTo(page, link);
      await page.getByRole('heading', { name: link, exact: true }).waitFor();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count(), SETTLED).toBe(0);
      await expectFitsWidth(page);
      await expectAccessible(page);
    }
  });
});

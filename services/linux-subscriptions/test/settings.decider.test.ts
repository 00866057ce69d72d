import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { DiscoverySettingsCommand } from '../src/settings/domain/commands';
import { discoverySettingsDecider } from '../src/settings/domain/decide';
import { coveredAccountIds, settingsStatus, type DiscoverySettings } from '../src/settings/domain/discovery-settings';
import { organizationAccess, type OrganizationAccess } from '../src/settings/domain/organization-access';
import { settingsInput } from '../src/settings/domain/settings-input';
import { regionMessage } from '../src/settings/domain/status-messages';

const management = '111111111111';
const member = '222222222222';
const t0 = new Date('2026-03-01T00:00:00Z');
const { given, history } = DeciderSpecification.for(discoverySettingsDecider);

type Update = Extract<DiscoverySettingsCommand, { type: 'UpdateServiceSettings' }>;

const update = (changes: Partial<Update> = {}): Update => ({
  type: 'UpdateServiceSettings',
  accountId: management,
  homeRegion: 'us-east-1',
  discovery: 'Enabled',
  sourceRegions: ['us-east-1', 'eu-west-1'],
  organizationIntegration: 'Disabled',
  allowUpdate: false,
  deactivationBlockers: [],
  now: t0,
  ...changes,
});

const complete = (revision: number, failureReason?: string): DiscoverySettingsCommand => ({
  type: 'CompleteDiscoverySteps',
  accountId: management,
  revision,
  failureReason,
  now: t0,
});

const granted: OrganizationAccess = { granted: true, accountIds: [management, member] };

/** What GetServiceSettings shows of the settings: the Status and each Region's StatusMessage. */
function shown(settings: DiscoverySettings | undefined) {
  if (!settings) throw new Error('no settings');
  const messages = Object.fromEntries(
    Object.entries(settings.regions).map(([region, steps]) => [region, regionMessage(steps)]),
  );
  return { status: settingsStatus(settings), messages };
}

const after = (...commands: DiscoverySettingsCommand[]) => shown(given(history(...commands)).state.settings);

describe('Linux subscriptions discovery settings', () => {
  it('onboards the account in each source Region: Pending, then Successful', () => {
    expect(after(update())).toEqual({
      status: 'InProgress',
      messages: { 'us-east-1': 'Account-Onboard: Pending', 'eu-west-1': 'Account-Onboard: Pending' },
    });
    expect(after(update(), complete(1))).toEqual({
      status: 'Successful',
      messages: { 'us-east-1': 'Account-Onboard: Successful', 'eu-west-1': 'Account-Onboard: Successful' },
    });
  });

  it('changes nothing when the same settings come again, their Regions in any order', () => {
    given(history(update(), complete(1)))
      .when(update())
      .thenNothing();
    given(history(update(), complete(1)))
      .when(update({ sourceRegions: ['eu-west-1', 'us-east-1'] }))
      .thenNothing();
  });

  it('changes enabled settings only with AllowUpdate: a Region left is offboarded, a kept one keeps its reason', () => {
    const enabled = history(update(), complete(1));
    given(enabled)
      .when(update({ sourceRegions: ['us-east-1', 'ap-south-1'] }))
      .thenThrows({ code: 'ValidationException', message: /AllowUpdate/ });
    const moved = update({ sourceRegions: ['us-east-1', 'ap-south-1'], allowUpdate: true });
    expect(after(update(), complete(1), moved)).toEqual({
      status: 'InProgress',
      messages: {
        'us-east-1': 'Account-Onboard: Successful',
        'eu-west-1': 'Account-Offboard: Pending',
        'ap-south-1': 'Account-Onboard: Pending',
      },
    });
    expect(after(update(), complete(1), moved, complete(2)).messages).toEqual({
      'us-east-1': 'Account-Onboard: Successful',
      'eu-west-1': 'Account-Offboard: Successful',
      'ap-south-1': 'Account-Onboard: Successful',
    });
  });

  it("onboards the organization for its management account, covering the organization's accounts", () => {
    const org = update({ organizationIntegration: 'Enabled', organization: granted });
    const state = given(history(org, complete(1))).state.settings!;
    expect(shown(state)).toEqual({
      status: 'Successful',
      messages: { 'us-east-1': 'Org-Onboard: Successful', 'eu-west-1': 'Org-Onboard: Successful' },
    });
    expect(coveredAccountIds(state)).toEqual([management, member]);
  });

  it("refuses the organization with the guide's reason, while the account alone is onboarded", () => {
    const refused = update({
      accountId: member,
      organizationIntegration: 'Enabled',
      organization: organizationAccess(member, { managementAccountId: management }, false),
    });
    const state = given(history(refused)).state.settings!;
    expect(shown(state)).toEqual({
      status: 'InProgress',
      messages: {
        'us-east-1': "Account-Onboard: Pending; Org-Onboard: Failed - Account isn't the management account",
        'eu-west-1': "Account-Onboard: Pending; Org-Onboard: Failed - Account isn't the management account",
      },
    });
    expect(coveredAccountIds(state)).toEqual([member]);
    const done = given(history(refused, { ...complete(1), accountId: member })).state.settings!;
    expect(shown(done)).toEqual({
      status: 'Failed',
      messages: {
        'us-east-1': "Account-Onboard: Successful; Org-Onboard: Failed - Account isn't the management account",
        'eu-west-1': "Account-Onboard: Successful; Org-Onboard: Failed - Account isn't the management account",
      },
    });
  });

  it('gives each of the three reasons an organization is refused for', () => {
    expect(organizationAccess(member, undefined, true)).toEqual({
      granted: false,
      reason: "Account isn't part of an organization",
    });
    expect(organizationAccess(member, { managementAccountId: management }, true)).toEqual({
      granted: false,
      reason: "Account isn't the management account",
    });
    expect(organizationAccess(management, { managementAccountId: management }, false)).toEqual({
      granted: false,
      reason: "Linux subscriptions can't access the organization",
    });
    expect(
      organizationAccess(management, { managementAccountId: management, memberAccountIds: [member, management] }, true),
    ).toEqual(granted);
  });

  it('goes back from the organization to the account alone: the account onboarded, the organization offboarded', () => {
    const org = update({ organizationIntegration: 'Enabled', organization: granted });
    const back = update({ allowUpdate: true });
    expect(after(org, complete(1), back).messages).toEqual({
      'us-east-1': 'Account-Onboard: Pending; Org-Offboard: Pending',
      'eu-west-1': 'Account-Onboard: Pending; Org-Offboard: Pending',
    });
    expect(after(org, complete(1), back, complete(2)).status).toBe('Successful');
  });

  it("falls back to the account alone when the organization is unlinked, saying it can't be accessed", () => {
    const org = update({ organizationIntegration: 'Enabled', organization: granted });
    const lose: DiscoverySettingsCommand = { type: 'LoseOrganizationAccess', accountId: management, now: t0 };
    const state = given(history(org, complete(1), lose)).state.settings!;
    expect(shown(state).messages['us-east-1']).toBe(
      "Account-Onboard: Pending; Org-Onboard: Failed - Linux subscriptions can't access the organization",
    );
    expect(coveredAccountIds(state)).toEqual([management]);
    given(history(org, complete(1), lose))
      .when(lose)
      .thenNothing();
    given(history(update(), complete(1)))
      .when(lose)
      .thenNothing();
  });

  it('refuses to disable discovery while a blocker says so; otherwise offboards every Region', () => {
    const enabled = history(update(), complete(1));
    given(enabled)
      .when(update({ discovery: 'Disabled', deactivationBlockers: ['a Red Hat subscription provider is registered'] }))
      .thenThrows({
        code: 'ValidationException',
        message: 'Linux subscriptions discovery cannot be disabled: a Red Hat subscription provider is registered.',
      });
    const disable = update({ discovery: 'Disabled' });
    expect(after(update(), complete(1), disable)).toEqual({
      status: 'InProgress',
      messages: { 'us-east-1': 'Account-Offboard: Pending', 'eu-west-1': 'Account-Offboard: Pending' },
    });
    const disabled = given(history(update(), complete(1), disable, complete(2))).state.settings!;
    expect(shown(disabled).messages['us-east-1']).toBe('Account-Offboard: Successful');
    expect(coveredAccountIds(disabled)).toEqual([]);
  });

  it('fails the pending steps with the internal error, and an update tries them again', () => {
    expect(after(update(), complete(1, 'An internal error occurred'))).toEqual({
      status: 'Failed',
      messages: {
        'us-east-1': 'Account-Onboard: Failed - An internal error occurred',
        'eu-west-1': 'Account-Onboard: Failed - An internal error occurred',
      },
    });
    expect(after(update(), complete(1, 'An internal error occurred'), update()).status).toBe('InProgress');
  });

  it('offboards again a Region whose offboarding failed, at the next update', () => {
    const failed = [
      update(),
      complete(1),
      update({ sourceRegions: ['us-east-1'], allowUpdate: true }),
      complete(2, 'An internal error occurred'),
    ];
    expect(after(...failed).messages).toEqual({
      'us-east-1': 'Account-Onboard: Successful',
      'eu-west-1': 'Account-Offboard: Failed - An internal error occurred',
    });
    expect(after(...failed, update({ sourceRegions: ['us-east-1'] })).messages).toEqual({
      'us-east-1': 'Account-Onboard: Successful',
      'eu-west-1': 'Account-Offboard: Pending',
    });
  });

  it('ignores the completion of an older revision', () => {
    const twice = history(update(), update({ sourceRegions: ['us-east-1'], allowUpdate: true }));
    given(twice).when(complete(1)).thenNothing();
  });

  it('records discovery disabled from the start with nothing to report', () => {
    expect(after(update({ discovery: 'Disabled' }))).toEqual({ status: 'Completed', messages: {} });
  });
});

describe('UpdateServiceSettings input', () => {
  const valid = {
    LinuxSubscriptionsDiscovery: 'Enabled',
    LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: ['us-east-1'] },
  };

  it('takes the model shapes, each Region once', () => {
    expect(
      settingsInput({
        ...valid,
        LinuxSubscriptionsDiscoverySettings: {
          OrganizationIntegration: 'Enabled',
          SourceRegions: ['us-east-1', 'us-gov-west-1', 'us-east-1'],
        },
        AllowUpdate: true,
      }),
    ).toEqual({
      discovery: 'Enabled',
      sourceRegions: ['us-east-1', 'us-gov-west-1'],
      organizationIntegration: 'Enabled',
      allowUpdate: true,
    });
  });

  it.each([
    ['no settings', { LinuxSubscriptionsDiscovery: 'Enabled' }, /LinuxSubscriptionsDiscoverySettings/],
    [
      'no Region',
      { ...valid, LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: [] } },
      /SourceRegions/,
    ],
    [
      'not a Region',
      {
        ...valid,
        LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: ['mars-1'] },
      },
      /mars-1/,
    ],
    ['a bad toggle', { ...valid, LinuxSubscriptionsDiscovery: 'On' }, /LinuxSubscriptionsDiscovery/],
    [
      'a bad integration',
      {
        ...valid,
        LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Yes', SourceRegions: ['us-east-1'] },
      },
      /OrganizationIntegration/,
    ],
  ])('refuses %s with ValidationException', (_, input, message) => {
    expect(() => settingsInput(input)).toThrow(
      expect.objectContaining({ code: 'ValidationException', message: expect.stringMatching(message) }),
    );
  });
});

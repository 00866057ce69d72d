import { awsCli, boto3Batch, type Boto3Call, type Boto3CallResult } from './clients';
import type { ObservedResource } from './inventory';
import type { RunningSystem } from './system';

type Account = { accountId: string; accessKeyId: string; secretAccessKey: string };

export type LinuxCall = Boto3Call;
export type LinuxCallResult = Boto3CallResult;

/** Runs license-manager-linux-subscriptions calls with boto3 in one python process, as `account`. */
export const boto3Linux = (system: RunningSystem, account: Account, calls: LinuxCall[]) =>
  boto3Batch(system, account, 'license-manager-linux-subscriptions', calls);

/** Turns the account's Linux subscriptions discovery on for these Regions (with or without its organization). */
export async function enableLinuxDiscovery(
  system: RunningSystem,
  account: Account,
  sourceRegions: string[],
  organizationIntegration: 'Enabled' | 'Disabled' = 'Disabled',
) {
  return awsCli(system, account, [
    'license-manager-linux-subscriptions',
    'update-service-settings',
    '--linux-subscriptions-discovery',
    'Enabled',
    '--linux-subscriptions-discovery-settings',
    JSON.stringify({ SourceRegions: sourceRegions, OrganizationIntegration: organizationIntegration }),
    '--allow-update',
  ]);
}

/**
 * Turns the account's discovery on for its organization in these Regions, updating again until
 * every Region's status says the organization was onboarded. Until Linux subscriptions has heard
 * of License Manager's organization link (an event away), an update onboards the account alone and
 * its Org-Onboard step fails saying why, as in AWS: the administrator updates again once it has.
 * Returns the last get-service-settings answer.
 */
export async function enableOrganizationDiscovery(system: RunningSystem, account: Account, sourceRegions: string[]) {
  const onboarded = (settings: { StatusMessage?: Record<string, string> } | undefined) =>
    sourceRegions.every((region) => settings?.StatusMessage?.[region]?.includes('Org-Onboard: Successful'));
  return eventually(
    async () => {
      const update = await enableLinuxDiscovery(system, account, sourceRegions, 'Enabled');
      if (update.stderr !== '') throw new Error(`update-service-settings failed: ${update.stderr}`);
      return (await awsCli(system, account, ['license-manager-linux-subscriptions', 'get-service-settings'])).json;
    },
    onboarded,
    60_000,
  );
}

/** Polls `read` until `done` holds, or returns the last value after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let counter = 0;

/** A fresh EC2 instance id (17 hex digits), apart from every other test's by `prefix` (two hex digits). */
export const instanceId = (prefix: string) => `i-${prefix}${(++counter).toString(16).padStart(15, '0')}`;

/** A running Linux instance of `accountId` in `region` with the billing information given. */
export function linuxInstance(
  accountId: string,
  region: string,
  id: string,
  billing: Partial<ObservedResource> = {},
): ObservedResource {
  return {
    accountId,
    region,
    resourceId: id,
    resourceType: 'EC2_INSTANCE',
    state: 'running',
    instanceType: 'm5.large',
    amiId: 'ami-0abcdef1234567890',
    ...billing,
  };
}

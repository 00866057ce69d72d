import type { CataloguedEvents, LicenseServerEndpointEventData } from '@lm/contracts';

/** The license server endpoint events (their data is part of @lm/contracts: lm.events.user-subscriptions.*). */
export type LicenseServerEndpointEvent = {
  [T in keyof LicenseServerEndpointEventData]: { type: T; data: LicenseServerEndpointEventData[T] };
}[keyof LicenseServerEndpointEventData];

type _Published = CataloguedEvents<'user-subscriptions', LicenseServerEndpointEvent>;

export const LICENSE_SERVER_ENDPOINT_EVENT_TYPES: readonly LicenseServerEndpointEvent['type'][] = [
  'LicenseServerEndpointRequested',
  'LicenseServerEndpointProvisioned',
  'LicenseServerEndpointProvisioningFailed',
  'LicenseServersHealthReported',
  'LicenseServerEndpointDeletionRequested',
  'LicenseServerEndpointDeleted',
  'LicenseServerEndpointDeletionFailed',
  'LicenseServerEndpointTagged',
  'LicenseServerEndpointUntagged',
];

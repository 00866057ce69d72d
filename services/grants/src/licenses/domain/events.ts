import type { LicenseManager } from '@lm/api-model';
import type { CataloguedEvents, LicenseEventData } from '@lm/contracts';

/** A licence's document and the data of the events other services read are the contract (@lm/contracts). */
export type { Idempotency, LicenseDocument } from '@lm/contracts';

export type LicenseEvent =
  | { [T in keyof LicenseEventData]: { type: T; data: LicenseEventData[T] } }[keyof LicenseEventData]
  | { type: 'LicenseTagged'; data: { licenseArn: string; tags: LicenseManager.Tag[] } }
  | { type: 'LicenseUntagged'; data: { licenseArn: string; tagKeys: string[] } };

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', LicenseEvent>;

export const LICENSE_EVENT_TYPES: readonly LicenseEvent['type'][] = [
  'LicenseCreated',
  'LicenseVersionCreated',
  'LicenseDeleted',
  'LicenseExpired',
  'LicenseRenewed',
  'LicenseTagged',
  'LicenseUntagged',
];

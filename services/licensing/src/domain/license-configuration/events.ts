import type { LicenseManager } from '@lm/api-model';
import type { Tags } from '../tags';
import type { LicenseConfiguration } from './license-configuration';

export type LicenseConfigurationStatus = 'AVAILABLE' | 'DISABLED';

/** The editable settings of a configuration; also what an update event carries (changed ones only). */
export interface LicenseConfigurationSettings {
  name: string;
  description?: string;
  licenseCount?: number;
  hardLimit: boolean;
  rules: string[];
  productInformationList: LicenseManager.ProductInformation[];
  disassociateWhenNotFound: boolean;
  licenseExpiry?: number;
  status: LicenseConfigurationStatus;
}

export type LicenseConfigurationEvent =
  | { type: 'LicenseConfigurationCreated'; data: LicenseConfiguration }
  | { type: 'LicenseConfigurationUpdated'; data: { changes: Partial<LicenseConfigurationSettings>; updatedAt: string } }
  | { type: 'LicenseConfigurationTagged'; data: { tags: Tags } }
  | { type: 'LicenseConfigurationUntagged'; data: { tagKeys: string[] } }
  | { type: 'LicenseConfigurationDeleted'; data: { ownerAccountId: string; region: string; deletedAt: string } };

export type LicenseConfigurationEventType = LicenseConfigurationEvent['type'];

export const LICENSE_CONFIGURATION_EVENT_TYPES: readonly LicenseConfigurationEventType[] = [
  'LicenseConfigurationCreated',
  'LicenseConfigurationUpdated',
  'LicenseConfigurationTagged',
  'LicenseConfigurationUntagged',
  'LicenseConfigurationDeleted',
];

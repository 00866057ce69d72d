import type { LicenseManager } from '@lm/api-model';
import type { Tags } from './tags';
import type { Association, LicenseConfiguration } from './license-configuration';
import type { CataloguedEvents } from '@lm/contracts';

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
  | { type: 'LicenseConfigurationDeleted'; data: { ownerAccountId: string; region: string; deletedAt: string } }
  | { type: 'ResourceAssociated'; data: Association }
  | {
      type: 'ResourceDisassociated';
      data: { resourceArn: string; reason: DisassociationReason; disassociatedAt: string };
    }
  /** The resource started or stopped: what it consumes now (a start also ends an affinity hold). */
  | {
      type: 'AssociationConsumptionChanged';
      data: { resourceArn: string; consumedLicenses: number; reason: ConsumptionChangeReason; at: string };
    }
  /** The resource stopped or went, but licenseAffinityToHost keeps its licences on the host until `until`. */
  | { type: 'AffinityHoldStarted'; data: { resourceArn: string; until: string; at: string } }
  /** An operation on the configuration was refused (a launch, an automatic association): for the record. */
  | { type: 'LicenseOperationFailed'; data: LicenseOperationFailure }
  /** A soft limit was passed: the association was allowed, and this says by how much. */
  | {
      type: 'LicenseCountExceeded';
      data: { resourceArn: string; consumedLicenses: number; licenseCount: number; at: string };
    };

export interface LicenseOperationFailure {
  operationName: string;
  resourceArn: string;
  resourceType: string;
  resourceOwnerId: string;
  errorMessage: string;
  requestedBy: string;
  failedAt: string;
}

export type DisassociationReason =
  'requested' | 'terminated' | 'deregistered' | 'released' | 'inactive' | 'software-not-found';
export type ConsumptionChangeReason = 'started' | 'stopped' | 'affinity-ended';

export type LicenseConfigurationEventType = LicenseConfigurationEvent['type'];

/** Relayed to lm.events.licensing.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'licensing', LicenseConfigurationEvent>;

export const LICENSE_CONFIGURATION_EVENT_TYPES: readonly LicenseConfigurationEventType[] = [
  'LicenseConfigurationCreated',
  'LicenseConfigurationUpdated',
  'LicenseConfigurationTagged',
  'LicenseConfigurationUntagged',
  'LicenseConfigurationDeleted',
  'ResourceAssociated',
  'ResourceDisassociated',
  'AssociationConsumptionChanged',
  'AffinityHoldStarted',
  'LicenseOperationFailed',
  'LicenseCountExceeded',
];

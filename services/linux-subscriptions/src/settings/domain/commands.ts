import type { DiscoveryToggle } from './discovery-settings';
import type { OrganizationAccess } from './organization-access';

export type DiscoverySettingsCommand =
  | {
      type: 'UpdateServiceSettings';
      accountId: string;
      homeRegion: string;
      discovery: DiscoveryToggle;
      /** Valid Region names, each once. */
      sourceRegions: string[];
      organizationIntegration: DiscoveryToggle;
      allowUpdate: boolean;
      /** Asked only when OrganizationIntegration is Enabled. */
      organization?: OrganizationAccess;
      /** Why discovery cannot be disabled now (a Red Hat provider registered...), as the other slices say. */
      deactivationBlockers: string[];
      now: Date;
    }
  | {
      /** The management account's organization is no longer linked in License Manager's settings. */
      type: 'LoseOrganizationAccess';
      accountId: string;
      now: Date;
    }
  | {
      /** The pending steps of `revision`, done by the slices that discover (or failed: the internal error). */
      type: 'CompleteDiscoverySteps';
      accountId: string;
      revision: number;
      failureReason?: string;
      now: Date;
    };

import type { LicenseDocument } from '@lm/contracts';
import type { ResourceFacts } from '../../shared/resource';
import type { Asset } from './rule-statements';

/**
 * The EC2 billing products (the model's EC2BillingProduct values) each usage operation stands for,
 * from the guide's usage operation tables: an instance's license type as EC2 bills it.
 */
const BILLING_PRODUCTS_BY_USAGE_OPERATION: Readonly<Record<string, readonly string[]>> = {
  'RunInstances:0002': ['windows-server-enterprise'],
  'RunInstances:0006': ['windows-server-enterprise', 'sql-server-standard'],
  'RunInstances:0102': ['windows-server-enterprise', 'sql-server-enterprise'],
  'RunInstances:0202': ['windows-server-enterprise'],
  'RunInstances:0800': ['windows-byol'],
  'RunInstances:0010': ['rhel'],
  'RunInstances:00g0': ['rhel-byol'],
  'RunInstances:1010': ['rhel', 'rhel-high-availability'],
  'RunInstances:0014': ['rhel', 'sql-server-standard'],
  'RunInstances:1014': ['rhel', 'rhel-high-availability', 'sql-server-standard'],
  'RunInstances:0110': ['rhel', 'sql-server-enterprise'],
  'RunInstances:1110': ['rhel', 'rhel-high-availability', 'sql-server-enterprise'],
  'RunInstances:0210': ['rhel'],
  'RunInstances:000g': ['suse-linux'],
  'RunInstances:0g00': ['ubuntu-pro'],
};

const WINDOWS_USAGE_OPERATIONS = new Set([
  'RunInstances:0002',
  'RunInstances:0006',
  'RunInstances:0102',
  'RunInstances:0202',
  'RunInstances:0800',
]);

/** The resources a group counts as instances: EC2 instances and Systems Manager managed instances. */
export const isInstance = (resource: Pick<ResourceFacts, 'resourceType'>) =>
  resource.resourceType === 'EC2_INSTANCE' || resource.resourceType === 'SYSTEMS_MANAGER_MANAGED_INSTANCE';

/** Windows or Linux: the reported platform, else what the usage operation bills; nothing when neither was reported. */
function platformOf(resource: ResourceFacts): string[] {
  const windows =
    /windows/i.test(resource.platform ?? '') || WINDOWS_USAGE_OPERATIONS.has(resource.usageOperation ?? '');
  if (windows) return ['Windows'];
  return resource.platform || resource.usageOperation ? ['Linux'] : [];
}

const present = (value: string | undefined): string[] => (value ? [value] : []);

/**
 * An instance of the inventory as instance rules see it. EC2BillingProduct holds the products its
 * usage operation stands for and the billing product codes reported with it (bp-...).
 */
export function instanceAsset(resource: ResourceFacts): Asset {
  const billingProducts = BILLING_PRODUCTS_BY_USAGE_OPERATION[resource.usageOperation ?? ''] ?? [];
  return {
    type: 'Instance',
    arn: resource.resourceArn,
    values: {
      Platform: platformOf(resource),
      EC2BillingProduct: [...billingProducts, ...(resource.billingProducts ?? [])],
      MarketPlaceProductCode: (resource.productCodes ?? [])
        .filter((code) => code.productCodeType !== 'devpay')
        .map((code) => code.productCodeId),
      AMIId: present(resource.amiId),
      InstanceType: present(resource.instanceType),
      InstanceId: [resource.resourceId],
      HostId: present(resource.hostId),
      AccountId: [resource.accountId],
    },
  };
}

/** A seller-issued licence (its current version) as license rules see it. */
export function licenceAsset(license: LicenseDocument): Asset {
  return {
    type: 'License',
    arn: license.LicenseArn,
    values: {
      LicenseArn: [license.LicenseArn],
      ProductSKU: [license.ProductSKU],
      Issuer: present(license.Issuer.Name),
      Beneficiary: present(license.Beneficiary),
      LicenseStatus: [license.Status],
      HomeRegion: [license.HomeRegion],
    },
  };
}

/** A license configuration as license configuration rules see it. */
export function configurationAsset(arn: string, ownerAccountId: string): Asset {
  return { type: 'LicenseConfiguration', arn, values: { LicenseConfigurationArn: [arn], AccountId: [ownerAccountId] } };
}

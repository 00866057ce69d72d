import type { LicenseManager } from '@lm/api-model';

/** How an AWS-managed ruleset's instances are licensed (the LicensingModel of reporting's metrics). */
export type LicensingModel = 'LicenseIncluded' | 'BringYourOwnLicense';

export interface ManagedRuleset {
  arn: string;
  name: string;
  description: string;
  rules: LicenseManager.LicenseAssetRule[];
  /** The licensing model of each EC2 billing product the ruleset discovers. */
  licensingModels: Readonly<Record<string, LicensingModel>>;
}

const billingProductRule = (products: string[]): LicenseManager.LicenseAssetRule => ({
  RuleStatement: {
    InstanceRuleStatement: {
      MatchingRuleStatement: { KeyToMatch: 'EC2BillingProduct', Constraint: 'EQUALS', ValueToMatch: products },
    },
  },
});

/**
 * The guide's AWS-managed rulesets ("Microsoft Windows Server Datacenter, Microsoft SQL Server
 * Enterprise Edition, Microsoft SQL Server Standard Edition, Red Hat Enterprise Linux, Ubuntu Pro,
 * SUSE Enterprise Linux"): seed data shipped with the release, the same in every account, read-only.
 * Each discovers instances by the EC2 billing products of its product.
 */
const MANAGED = [
  {
    slug: 'windows-server-datacenter',
    name: 'Microsoft Windows Server Datacenter',
    models: { 'windows-server-enterprise': 'LicenseIncluded', 'windows-byol': 'BringYourOwnLicense' },
  },
  {
    slug: 'sql-server-enterprise',
    name: 'Microsoft SQL Server Enterprise Edition',
    models: { 'sql-server-enterprise': 'LicenseIncluded' },
  },
  {
    slug: 'sql-server-standard',
    name: 'Microsoft SQL Server Standard Edition',
    models: { 'sql-server-standard': 'LicenseIncluded' },
  },
  {
    slug: 'red-hat-enterprise-linux',
    name: 'Red Hat Enterprise Linux',
    models: {
      rhel: 'LicenseIncluded',
      'rhel-high-availability': 'LicenseIncluded',
      'rhel-byol': 'BringYourOwnLicense',
    },
  },
  { slug: 'ubuntu-pro', name: 'Ubuntu Pro', models: { 'ubuntu-pro': 'LicenseIncluded' } },
  { slug: 'suse-enterprise-linux', name: 'SUSE Enterprise Linux', models: { 'suse-linux': 'LicenseIncluded' } },
] as const;

/** AWS owns them: their ARNs name no account of the caller's (`aws`), so no account can change or tag them. */
export const managedRulesetArn = (region: string, slug: string) =>
  `arn:aws:license-manager:${region}:aws:ruleset/aws-managed-${slug}`;

export function managedRulesets(region: string): ManagedRuleset[] {
  return MANAGED.map(({ slug, name, models }) => ({
    arn: managedRulesetArn(region, slug),
    name,
    description: `AWS-managed ruleset: instances of ${name}, by their EC2 billing products.`,
    rules: [billingProductRule(Object.keys(models))],
    licensingModels: models,
  }));
}

export function managedRuleset(region: string, arn: string): ManagedRuleset | undefined {
  return managedRulesets(region).find((ruleset) => ruleset.arn === arn);
}

/** An AWS-managed ruleset's ARN in any Region (refused as read-only, not as unknown). */
export const isManagedRulesetArn = (arn: string) => /^arn:aws:license-manager:[a-z0-9-]*:aws:ruleset\//.test(arn);

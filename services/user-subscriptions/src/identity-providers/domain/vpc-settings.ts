import type { UserSubscriptions } from '@lm/api-model';
import { validation, type VpcSettingsDescription } from '@lm/contracts';
import type { Product } from '../../shared/products';

/**
 * An identity provider's `Settings`: the subnets where License Manager provisions VPC endpoints
 * (and where user-subscription instances run) and their security group.
 */
export type VpcSettings = VpcSettingsDescription;

const SUBNET = /^subnet-[a-z0-9]{8,17}/;
const SECURITY_GROUP = /^sg-(([0-9a-z]{8})|([0-9a-z]{17}))$/;

function checkedSubnets(subnets: readonly string[], member: string): string[] {
  for (const subnet of subnets) if (!SUBNET.test(subnet)) throw validation(`${member}: ${subnet} is not a subnet ID.`);
  return [...new Set(subnets)];
}

function checkedSecurityGroup(securityGroupId: string | undefined, member: string): string {
  if (!securityGroupId || !SECURITY_GROUP.test(securityGroupId))
    throw validation(`${member} must be a security group ID (sg-...).`);
  return securityGroupId;
}

/**
 * The Settings of a registration. The guide: Office needs VPC endpoints in at least one subnet to
 * reach its activation servers, so an Office registration must give them.
 */
export function vpcSettingsOf(
  settings: UserSubscriptions.Settings | undefined,
  product: Product,
): VpcSettings | undefined {
  if (!settings) {
    if (product === 'OFFICE_PROFESSIONAL_PLUS')
      throw validation('OFFICE_PROFESSIONAL_PLUS needs Settings: the subnets and security group of its VPC endpoints.');
    return undefined;
  }
  const subnets = checkedSubnets(settings.Subnets ?? [], 'Settings.Subnets');
  if (subnets.length === 0) throw validation('Settings.Subnets must name at least one subnet.');
  return { subnets, securityGroupId: checkedSecurityGroup(settings.SecurityGroupId, 'Settings.SecurityGroupId') };
}

/**
 * UpdateIdentityProviderSettings: subnets added and removed, the security group replaced when
 * given. The result keeps at least one subnet (the model's Settings), and removing a subnet the
 * settings do not have is refused rather than ignored.
 */
export function updatedVpcSettings(
  current: VpcSettings | undefined,
  update: UserSubscriptions.UpdateSettings,
): VpcSettings {
  const add = checkedSubnets(update.AddSubnets ?? [], 'AddSubnets');
  const remove = checkedSubnets(update.RemoveSubnets ?? [], 'RemoveSubnets');
  const overlap = add.find((subnet) => remove.includes(subnet));
  if (overlap) throw validation(`Subnet ${overlap} is both added and removed.`);
  const subnets = current?.subnets ?? [];
  const absent = remove.find((subnet) => !subnets.includes(subnet));
  if (absent) throw validation(`Subnet ${absent} is not in the identity provider's settings.`);
  const next = [...subnets.filter((subnet) => !remove.includes(subnet)), ...add.filter((s) => !subnets.includes(s))];
  if (next.length === 0) throw validation('The settings must keep at least one subnet.');
  const securityGroupId =
    update.SecurityGroupId !== undefined
      ? checkedSecurityGroup(update.SecurityGroupId, 'SecurityGroupId')
      : current?.securityGroupId;
  if (!securityGroupId) throw validation('SecurityGroupId is needed: the identity provider has no settings yet.');
  return { subnets: next, securityGroupId };
}

export const toSettingsOutput = (settings: VpcSettings | undefined): UserSubscriptions.Settings => ({
  Subnets: settings?.subnets ?? [],
  SecurityGroupId: settings?.securityGroupId ?? '',
});

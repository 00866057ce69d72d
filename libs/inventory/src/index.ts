/**
 * The inventory contract between the discovery service, which keeps the inventory, and the
 * services that act on it (licensing counts licences on it).
 */
export type InventoryResourceType = 'EC2_INSTANCE' | 'EC2_HOST' | 'EC2_AMI' | 'RDS' | 'SYSTEMS_MANAGER_MANAGED_INSTANCE';

/**
 * ARNs as AWS writes them for each resource type. An AMI's ARN names no account: images are
 * regional objects that several accounts may use.
 */
export function resourceArn(type: InventoryResourceType, region: string, accountId: string, resourceId: string): string {
  switch (type) {
    case 'EC2_INSTANCE':
      return `arn:aws:ec2:${region}:${accountId}:instance/${resourceId}`;
    case 'EC2_AMI':
      return `arn:aws:ec2:${region}::image/${resourceId}`;
    case 'EC2_HOST':
      return `arn:aws:ec2:${region}:${accountId}:dedicated-host/${resourceId}`;
    case 'RDS':
      return `arn:aws:rds:${region}:${accountId}:db:${resourceId}`;
    case 'SYSTEMS_MANAGER_MANAGED_INSTANCE':
      return `arn:aws:ssm:${region}:${accountId}:managed-instance/${resourceId}`;
  }
}

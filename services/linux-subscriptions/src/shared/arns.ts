/**
 * The ARNs of this API's resources, as AWS writes them:
 * arn:aws:license-manager-linux-subscriptions:<region>:<account>:<resource type>/<id>, the id made of
 * lower-case letters, digits, dots and dashes (the model's SubscriptionProviderArn pattern).
 */
export type LinuxSubscriptionsResource = 'subscription-provider';

const ARN = /^arn:aws:license-manager-linux-subscriptions:([a-z0-9-]+):(\d{12}):([a-z-]+)\/([a-z0-9.-]{1,510})$/;

export const linuxSubscriptionsArn = (
  resource: LinuxSubscriptionsResource,
  region: string,
  accountId: string,
  id: string,
) => `arn:aws:license-manager-linux-subscriptions:${region}:${accountId}:${resource}/${id}`;

/** The parts of an ARN of `resource`; undefined for any other string. */
export function parseLinuxSubscriptionsArn(
  resource: LinuxSubscriptionsResource,
  arn: string,
): { region: string; accountId: string; id: string } | undefined {
  const match = ARN.exec(arn);
  return match && match[3] === resource ? { region: match[1], accountId: match[2], id: match[4] } : undefined;
}

/** The resource type an ARN of this API names (`subscription-provider`); undefined for any other string. */
export function linuxSubscriptionsResourceOf(arn: string): string | undefined {
  return ARN.exec(arn)?.[3];
}

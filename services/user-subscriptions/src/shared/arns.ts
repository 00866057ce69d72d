/**
 * The ARNs of this API's resources, as AWS writes them:
 * arn:aws:license-manager-user-subscriptions:<region>:<account>:<resource type>/<id>, the id
 * made of letters, digits, dots and dashes (the model's Arn pattern).
 */
export type UserSubscriptionsResource =
  'identity-provider' | 'product-user' | 'instance-user' | 'license-server-endpoint';

const ARN = /^arn:aws:license-manager-user-subscriptions:([a-z0-9-]+):(\d{12}):([a-z-]+)\/([a-zA-Z0-9.-]{1,510})$/;

export const userSubscriptionsArn = (
  resource: UserSubscriptionsResource,
  region: string,
  accountId: string,
  id: string,
) => `arn:aws:license-manager-user-subscriptions:${region}:${accountId}:${resource}/${id}`;

/** The parts of an ARN of `resource`; undefined for any other string. */
export function parseUserSubscriptionsArn(
  resource: UserSubscriptionsResource,
  arn: string,
): { region: string; accountId: string; id: string } | undefined {
  const match = ARN.exec(arn);
  return match && match[3] === resource ? { region: match[1], accountId: match[2], id: match[4] } : undefined;
}

/** The resource type an ARN of this API names (`license-server-endpoint`, ...); undefined for any other string. */
export function userSubscriptionsResourceOf(arn: string): string | undefined {
  return ARN.exec(arn)?.[3];
}

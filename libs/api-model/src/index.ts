import type { ApiId, ApiModel } from './model';
import licenseManager from './models/license-manager.json';
import userSubscriptions from './models/license-manager-user-subscriptions.json';
import linuxSubscriptions from './models/license-manager-linux-subscriptions.json';

export type { ApiId, ApiModel, MemberRef, OperationModel, Shape } from './model';
export * as LicenseManager from './generated/license-manager';
export * as UserSubscriptions from './generated/license-manager-user-subscriptions';
export * as LinuxSubscriptions from './generated/license-manager-linux-subscriptions';

export const apiModels: Record<ApiId, ApiModel> = {
  'license-manager': licenseManager as unknown as ApiModel,
  'license-manager-user-subscriptions': userSubscriptions as unknown as ApiModel,
  'license-manager-linux-subscriptions': linuxSubscriptions as unknown as ApiModel,
};

/** The API a SigV4 credential scope's service name designates. */
export function apiBySigningName(service: string): ApiModel | undefined {
  return Object.values(apiModels).find((api) => (api.metadata.signingName ?? api.metadata.endpointPrefix) === service);
}

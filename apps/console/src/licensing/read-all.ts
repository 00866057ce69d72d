import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';

/**
 * Every license configuration of the account (those the filters keep), page by page: an account has
 * 25 unless its quota was raised.
 */
export async function allConfigurations(
  client: LicenseManagerClient,
  filters?: LicenseManager.Filter[],
): Promise<LicenseManager.LicenseConfiguration[]> {
  const configurations: LicenseManager.LicenseConfiguration[] = [];
  let token: string | undefined;
  do {
    const page = await client.call('ListLicenseConfigurations', {
      MaxResults: 100,
      NextToken: token,
      Filters: filters,
    });
    configurations.push(...(page.LicenseConfigurations ?? []));
    token = page.NextToken;
  } while (token);
  return configurations;
}

export type Failure = LicenseManager.LicenseOperationFailure & { configurationName?: string };

/** The most recent failures of license operations across these configurations, newest first. */
export async function recentFailures(
  client: LicenseManagerClient,
  configurations: LicenseManager.LicenseConfiguration[],
  limit: number,
): Promise<Failure[]> {
  const perConfiguration = await Promise.all(
    configurations.map(async (configuration) => {
      const answer = await client.call('ListFailuresForLicenseConfigurationOperations', {
        LicenseConfigurationArn: configuration.LicenseConfigurationArn!,
        MaxResults: limit,
      });
      return (answer.LicenseOperationFailureList ?? []).map((failure) => ({
        ...failure,
        configurationName: configuration.Name,
      }));
    }),
  );
  return perConfiguration
    .flat()
    .sort((a, b) => (b.FailureTime ?? 0) - (a.FailureTime ?? 0))
    .slice(0, limit);
}

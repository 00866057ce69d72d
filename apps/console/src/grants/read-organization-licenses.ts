import type { LicenseManager } from '@lm/api-model';
import { ApiError } from '../api/api-error';
import type { LicenseManagerClient } from '../api/license-manager-client';
import type { ReceivedByOrganization } from './organization-summary';

/** Every page of a NextToken-paged read. */
async function allPages<T>(read: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    items.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return items;
}

/**
 * What the License summary adds up: every licence the organization's accounts received
 * (ListReceivedLicensesForOrganization), each one's grants to them (ListReceivedGrantsForOrganization),
 * and its entitlements' usage (GetLicenseUsage), which the API shows its issuer and grantees only:
 * a usage it refuses this account is left unread, anything else fails the summary.
 */
export async function readOrganizationLicenses(client: LicenseManagerClient): Promise<ReceivedByOrganization[]> {
  const licenses = await allPages<LicenseManager.GrantedLicense>(async (NextToken) => {
    const page = await client.call('ListReceivedLicensesForOrganization', { MaxResults: 100, NextToken });
    return { items: page.Licenses, next: page.NextToken };
  });
  return Promise.all(
    licenses.map(async (license) => {
      const LicenseArn = license.LicenseArn!;
      const [grants, usage] = await Promise.all([
        allPages<LicenseManager.Grant>(async (NextToken) => {
          const page = await client.call('ListReceivedGrantsForOrganization', {
            LicenseArn,
            MaxResults: 100,
            NextToken,
          });
          return { items: page.Grants, next: page.NextToken };
        }),
        client.call('GetLicenseUsage', { LicenseArn }).then(
          (answer) => answer.LicenseUsage?.EntitlementUsages ?? [],
          (error: unknown) => {
            if (error instanceof ApiError && error.status >= 400 && error.status < 500) return undefined;
            throw error;
          },
        ),
      ]);
      return { license, grants, usage };
    }),
  );
}

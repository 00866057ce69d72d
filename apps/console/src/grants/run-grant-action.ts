import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import { clientToken } from './client-token';
import type { GrantAction } from './grant-status';

/**
 * A grant action through the API, as the guide describes it: AcceptGrant leaves the grant Disabled,
 * activating and deactivating are CreateGrantVersion with Status ACTIVE or DISABLED. The version shown
 * is the one changed (SourceVersion): a grant changed meanwhile is refused rather than overwritten.
 */
export async function runGrantAction(
  client: LicenseManagerClient,
  grant: Pick<LicenseManager.Grant, 'GrantArn' | 'Version'>,
  action: GrantAction,
): Promise<void> {
  const newVersion = (Status: 'ACTIVE' | 'DISABLED', SourceVersion: string | undefined) =>
    client.call('CreateGrantVersion', { GrantArn: grant.GrantArn, Status, SourceVersion, ClientToken: clientToken() });
  switch (action) {
    case 'accept':
      await client.call('AcceptGrant', { GrantArn: grant.GrantArn });
      return;
    case 'accept-and-activate': {
      const accepted = await client.call('AcceptGrant', { GrantArn: grant.GrantArn });
      await newVersion('ACTIVE', accepted.Version);
      return;
    }
    case 'reject':
      await client.call('RejectGrant', { GrantArn: grant.GrantArn });
      return;
    case 'activate':
      await newVersion('ACTIVE', grant.Version);
      return;
    case 'deactivate':
      await newVersion('DISABLED', grant.Version);
      return;
  }
}

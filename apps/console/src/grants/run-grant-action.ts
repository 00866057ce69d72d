import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import { clientToken } from './client-token';
import type { GrantAction } from './grant-status';

/**
 * A grant action through the API, as the guide describes it: AcceptGrant leaves the grant Disabled,
 * activating and deactivating are CreateGrantVersion with Status ACTIVE or DISABLED. The version shown
 * is the one changed (SourceVersion): a grant changed meanwhile is refused rather than overwritten.
 * Activating while another grant of the product is active is refused unless `override` says to
 * replace it (the guide's ActivationOverrideBehavior).
 */
export async function runGrantAction(
  client: LicenseManagerClient,
  grant: Pick<LicenseManager.Grant, 'GrantArn' | 'Version'>,
  action: GrantAction,
  /** On activation: which other active grants of the product this one replaces (none: refused if one is active). */
  override?: LicenseManager.ActivationOverrideBehavior,
): Promise<void> {
  const newVersion = (Status: 'ACTIVE' | 'DISABLED', SourceVersion: string | undefined) =>
    client.call('CreateGrantVersion', {
      GrantArn: grant.GrantArn,
      Status,
      SourceVersion,
      ClientToken: clientToken(),
      Options: Status === 'ACTIVE' && override ? { ActivationOverrideBehavior: override } : undefined,
    });
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

import { useApi } from '../api/use-api';
import { useSession } from '../session/session';
import { hrefOf } from '../router';
import { LoadedView } from './loaded-view';

/**
 * Whether a self-managed license is shared with the organization: License Manager shares every one of
 * the management account's licenses with its member accounts once AWS Organizations is linked in the
 * settings (GetServiceSettings), which is where the console sends you to share it.
 */
export function OrganizationSharing({ ownerAccountId }: { ownerAccountId: string | undefined }) {
  const { licenseManager } = useSession();
  const [settings] = useApi(() => licenseManager.call('GetServiceSettings', {}), 'settings');
  return (
    <LoadedView state={settings} what="the organization settings">
      {(s) =>
        s.OrganizationConfiguration?.EnableIntegration ? (
          <p data-testid="sharing">
            Shared with the organization’s member accounts (account {ownerAccountId} links AWS Organizations in its{' '}
            <a href={hrefOf.page('settings')}>settings</a>).
          </p>
        ) : (
          <p data-testid="sharing">
            Not shared. To share this license with all your member accounts, the organization’s management account links
            AWS Organizations in <a href={hrefOf.page('settings')}>Settings</a>.
          </p>
        )
      }
    </LoadedView>
  );
}

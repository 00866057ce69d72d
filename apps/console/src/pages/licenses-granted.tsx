import { useState } from 'react';
import { LicenseList } from './license-list';
import { OrganizationLicenses } from './organization-licenses';

/**
 * Granted licenses, the guide's "My licenses": the licences granted to this account and each one's
 * grant status; and, for the organization's management account, the aggregated licences of its accounts.
 */
export function GrantedLicensesPage() {
  const [view, setView] = useState<'mine' | 'organization'>('mine');
  return (
    <>
      <h1>Granted licenses</h1>
      <div className="row-actions" role="group" aria-label="View">
        <button type="button" aria-pressed={view === 'mine'} onClick={() => setView('mine')}>
          My licenses
        </button>
        <button type="button" aria-pressed={view === 'organization'} onClick={() => setView('organization')}>
          Organization (management account)
        </button>
      </div>
      {view === 'mine' ? (
        <>
          <p className="hint">
            Licenses granted to this account. A license must be accepted and activated before it can be used: open it to
            accept, activate, deactivate or reject its grant.
          </p>
          <LicenseList kind="granted" />
        </>
      ) : (
        <OrganizationLicenses />
      )}
    </>
  );
}

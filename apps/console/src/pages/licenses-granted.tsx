import { useState } from 'react';
import { LicenseList } from './license-list';
import { OrganizationLicenses } from './organization-licenses';
import { OrganizationSummary } from './organization-summary';

const VIEWS = {
  mine: 'My licenses',
  summary: 'License summary',
  aggregated: 'Aggregated licenses',
} as const;

/**
 * Granted licenses, the guide's tabs: "My licenses", the licences granted to this account and each
 * one's grant status; and, for the organization's management account, its License summary and its
 * Aggregated licenses (the API refuses them to any other account).
 */
export function GrantedLicensesPage() {
  const [view, setView] = useState<keyof typeof VIEWS>('mine');
  return (
    <>
      <h1>Granted licenses</h1>
      <div className="row-actions" role="group" aria-label="View">
        {(Object.keys(VIEWS) as (keyof typeof VIEWS)[]).map((key) => (
          <button key={key} type="button" aria-pressed={view === key} onClick={() => setView(key)}>
            {VIEWS[key]}
          </button>
        ))}
      </div>
      {view === 'mine' && (
        <>
          <p className="hint">
            Licenses granted to this account. A license must be accepted and activated before it can be used: open it to
            accept, activate, deactivate or reject its grant.
          </p>
          <LicenseList kind="granted" />
        </>
      )}
      {view === 'summary' && (
        <>
          <p className="hint">For organization administrators: the licenses the organization’s accounts received.</p>
          <OrganizationSummary />
        </>
      )}
      {view === 'aggregated' && <OrganizationLicenses />}
    </>
  );
}

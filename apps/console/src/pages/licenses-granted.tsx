import { LicenseList } from './license-list';

/** Granted licenses, the guide's "My licenses": the licences granted to this account and each one's grant status. */
export function GrantedLicensesPage() {
  return (
    <>
      <h1>Granted licenses</h1>
      <p className="hint">
        Licenses granted to this account. A license must be accepted and activated before it can be used: open it to
        accept, activate, deactivate or reject its grant.
      </p>
      <LicenseList kind="granted" />
    </>
  );
}

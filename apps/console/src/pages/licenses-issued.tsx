import { hrefOf } from '../router';
import { LicenseList } from './license-list';

/** Seller issued licenses: the licences this account issued, and "Create license". */
export function IssuedLicensesPage() {
  return (
    <>
      <div className="page-heading">
        <h1>Issued licenses</h1>
        <a className="button primary" href={hrefOf.createIssuedLicense()}>
          Create license
        </a>
      </div>
      <LicenseList kind="issued" />
    </>
  );
}

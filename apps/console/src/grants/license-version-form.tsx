import type { LicenseManager } from '@lm/api-model';
import { ActionForm, textOf } from '../components/action-form';
import { TextField } from '../components/text-field';
import { useSession } from '../session/session';
import { clientToken } from './client-token';
import { LICENSE_STATUS_LABELS } from './grant-status';

/** The statuses a new version may set (DELETED only through DeleteLicense, PENDING_DELETE by the service). */
const VERSION_STATUSES = (Object.keys(LICENSE_STATUS_LABELS) as LicenseManager.LicenseStatus[]).filter(
  (status) => status !== 'DELETED' && status !== 'PENDING_DELETE',
);

/**
 * The CreateLicenseVersion request the form describes: the licence as it is (SourceVersion its
 * version, so a licence changed meanwhile is refused), with the name, product name, status, end date
 * and entitlements' maximum counts typed. The SKU and recipient stay, as the API requires.
 */
export function licenseVersionOf(
  license: LicenseManager.License,
  form: FormData,
): LicenseManager.CreateLicenseVersionRequest {
  const end = textOf(form, 'endDate');
  return {
    LicenseArn: license.LicenseArn!,
    LicenseName: textOf(form, 'licenseName'),
    ProductName: textOf(form, 'productName'),
    Issuer: { Name: license.Issuer?.Name ?? '', SignKey: license.Issuer?.SignKey },
    HomeRegion: license.HomeRegion!,
    Validity: { Begin: license.Validity!.Begin, End: end ? `${end}T00:00:00Z` : undefined },
    LicenseMetadata: license.LicenseMetadata,
    Entitlements: (license.Entitlements ?? []).map((entitlement, index) => {
      const count = textOf(form, `maxCount-${index}`);
      return entitlement.MaxCount === undefined || count === ''
        ? entitlement
        : { ...entitlement, MaxCount: Number(count) };
    }),
    ConsumptionConfiguration: license.ConsumptionConfiguration!,
    Status: textOf(form, 'status') as LicenseManager.LicenseStatus,
    ResetUsage: form.get('resetUsage') === 'on',
    SourceVersion: license.Version,
    ClientToken: clientToken(),
  };
}

/** The issuer's "Create new version" of a licence, prefilled with the current one. */
export function LicenseVersionForm({ license, onDone }: { license: LicenseManager.License; onDone(): void }) {
  const { licenseManager } = useSession();
  return (
    <ActionForm
      legend="New license version"
      submitLabel="Create version"
      submit={(form) => licenseManager.call('CreateLicenseVersion', licenseVersionOf(license, form))}
      onDone={onDone}
    >
      <TextField
        id="version-name"
        name="licenseName"
        label="License name"
        required
        defaultValue={license.LicenseName}
      />
      <TextField
        id="version-product"
        name="productName"
        label="Product name"
        required
        defaultValue={license.ProductName}
      />
      <div className="field">
        <label htmlFor="version-status">License status</label>
        <select id="version-status" name="status" defaultValue={license.Status}>
          {VERSION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {LICENSE_STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <TextField
        id="version-end"
        name="endDate"
        type="date"
        label="License end date (optional)"
        defaultValue={license.Validity?.End?.slice(0, 10)}
      />
      {(license.Entitlements ?? []).map(
        (entitlement, index) =>
          entitlement.MaxCount !== undefined && (
            <TextField
              key={entitlement.Name}
              id={`version-count-${index}`}
              name={`maxCount-${index}`}
              label={`Maximum count of ${entitlement.Name}`}
              inputMode="numeric"
              defaultValue={String(entitlement.MaxCount)}
            />
          ),
      )}
      <div className="field checkbox">
        <input id="version-reset" type="checkbox" name="resetUsage" />
        <label htmlFor="version-reset">Reset usage</label>
      </div>
    </ActionForm>
  );
}

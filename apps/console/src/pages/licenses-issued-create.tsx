import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { ApiError } from '../api/api-error';
import { ErrorMessage } from '../components/error-message';
import { TextField } from '../components/text-field';
import { clientToken } from '../grants/client-token';
import {
  createLicenseRequest,
  emptyEntitlement,
  ENTITLEMENT_UNITS,
  type EntitlementRow,
  type IssuedLicenseForm,
} from '../grants/issued-license-form';
import { hrefOf, navigate } from '../router';
import { useSession } from '../session/session';

/** An API refusal about entitlements is shown under them; any other under the form. */
const aboutEntitlements = (error: unknown) => error instanceof ApiError && /entitlement/i.test(error.message);

/**
 * The guide's "Create license" of a seller: license metadata, consumption configuration, issuer and
 * entitlements, then CreateLicense. Values are the API's to check; its refusal shows beside them.
 */
export function IssuedLicenseCreatePage() {
  const { licenseManager, region } = useSession();
  const [entitlements, setEntitlements] = useState<EntitlementRow[]>([emptyEntitlement()]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A submit retried after a lost answer (the network) creates one licence, not two; once the API has
  // answered a refusal, the corrected form is another request, with a token of its own.
  const [token, setToken] = useState(clientToken);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const values: IssuedLicenseForm = {
      licenseName: text('licenseName'),
      productName: text('productName'),
      productSku: text('productSku'),
      beneficiary: text('beneficiary'),
      homeRegion: text('homeRegion'),
      startDate: text('startDate'),
      endDate: text('endDate'),
      renewType: text('renewType') as LicenseManager.RenewType,
      consumption: text('consumption') as IssuedLicenseForm['consumption'],
      maxTimeToLiveMinutes: text('maxTimeToLive'),
      issuerName: text('issuerName'),
      signKey: text('signKey'),
      entitlements,
    };
    setBusy(true);
    setError(null);
    try {
      const created = await licenseManager.call('CreateLicense', createLicenseRequest(values, token));
      navigate(hrefOf.issuedLicense(created.LicenseArn!));
    } catch (failure) {
      if (failure instanceof ApiError) setToken(clientToken());
      setError(failure);
      setBusy(false);
    }
  };
  const setRow = (index: number, change: Partial<EntitlementRow>) =>
    setEntitlements((rows) => rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <>
      <p className="breadcrumb">
        <a href={hrefOf.issuedLicenses()}>Issued licenses</a> / Create
      </p>
      <h1>Create license</h1>
      <form className="form" onSubmit={submit}>
        <fieldset>
          <legend>License metadata</legend>
          <TextField id="license-name" name="licenseName" label="License name" required maxLength={150} />
          <TextField id="product-name" name="productName" label="Product name" required />
          <TextField id="product-sku" name="productSku" label="Product SKU" required />
          <TextField id="beneficiary" name="beneficiary" label="Recipient (company or individual)" required />
          <TextField id="home-region" name="homeRegion" label="Home Region" required defaultValue={region} />
          <TextField
            id="start-date"
            name="startDate"
            label="License start date"
            type="date"
            required
            defaultValue={new Date().toISOString().slice(0, 10)}
          />
          <TextField id="end-date" name="endDate" label="License end date (optional)" type="date" />
        </fieldset>
        <fieldset>
          <legend>Consumption configuration</legend>
          <div className="field">
            <label htmlFor="renew-type">Renewal frequency</label>
            <select id="renew-type" name="renewType" defaultValue="None">
              <option value="None">None</option>
              <option value="Weekly">Weekly</option>
              <option value="Monthly">Monthly</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="consumption">Consumption configuration</label>
            <select id="consumption" name="consumption" defaultValue="provisional">
              <option value="provisional">Provisional (continuous connectivity)</option>
              <option value="borrow">Borrow (offline use)</option>
            </select>
          </div>
          <TextField
            id="max-time-to-live"
            name="maxTimeToLive"
            label="Max time to live (minutes)"
            type="number"
            required
            defaultValue="60"
          />
        </fieldset>
        <fieldset>
          <legend>Issuer</legend>
          <TextField id="issuer-name" name="issuerName" label="Issuer name" required />
          <TextField
            id="sign-key"
            name="signKey"
            label="AWS KMS key ARN (optional: the account's managed key signs otherwise)"
          />
        </fieldset>
        <fieldset aria-describedby={aboutEntitlements(error) ? 'entitlements-error' : undefined}>
          <legend>Entitlements</legend>
          {entitlements.map((row, index) => (
            <div className="entitlement-row" key={index}>
              <div className="field">
                <label htmlFor={`entitlement-name-${index}`}>Name</label>
                <input
                  id={`entitlement-name-${index}`}
                  value={row.name}
                  required
                  onChange={(e) => setRow(index, { name: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`entitlement-unit-${index}`}>Unit type</label>
                <select
                  id={`entitlement-unit-${index}`}
                  value={row.unit}
                  onChange={(e) => setRow(index, { unit: e.target.value as LicenseManager.EntitlementUnit })}
                >
                  {ENTITLEMENT_UNITS.map((unit) => (
                    <option key={unit} value={unit}>
                      {unit}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`entitlement-amount-${index}`}>
                  {row.unit === 'None' ? 'Value (optional)' : 'Maximum count (optional: unlimited)'}
                </label>
                <input
                  id={`entitlement-amount-${index}`}
                  value={row.amount}
                  inputMode={row.unit === 'None' ? 'text' : 'numeric'}
                  onChange={(e) => setRow(index, { amount: e.target.value })}
                />
              </div>
              <div className="field checkbox">
                <input
                  id={`entitlement-check-in-${index}`}
                  type="checkbox"
                  checked={row.allowCheckIn}
                  onChange={(e) => setRow(index, { allowCheckIn: e.target.checked })}
                />
                <label htmlFor={`entitlement-check-in-${index}`}>Allow check in</label>
              </div>
              <div className="field checkbox">
                <input
                  id={`entitlement-overage-${index}`}
                  type="checkbox"
                  checked={row.overage}
                  onChange={(e) => setRow(index, { overage: e.target.checked })}
                />
                <label htmlFor={`entitlement-overage-${index}`}>Overages allowed</label>
              </div>
              {entitlements.length > 1 && (
                <button
                  type="button"
                  aria-label={`Remove entitlement ${index + 1}`}
                  onClick={() => setEntitlements((rows) => rows.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
              )}
            </div>
          ))}
          <button type="button" onClick={() => setEntitlements((rows) => [...rows, emptyEntitlement()])}>
            Add entitlement
          </button>
          {aboutEntitlements(error) && <ErrorMessage error={error} id="entitlements-error" />}
        </fieldset>
        {error !== null && !aboutEntitlements(error) && <ErrorMessage error={error} />}
        <div className="actions">
          <a className="button" href={hrefOf.issuedLicenses()}>
            Cancel
          </a>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating license…' : 'Create license'}
          </button>
        </div>
      </form>
    </>
  );
}

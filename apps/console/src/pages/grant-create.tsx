import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import { ErrorMessage } from '../components/error-message';
import { TextField } from '../components/text-field';
import { clientToken } from '../grants/client-token';
import { principalOf } from '../grants/principal';

/** The guide's license rights, each the API's allowed operations it stands for. */
const LICENSE_RIGHTS: { id: string; label: string; operations: LicenseManager.AllowedOperation[] }[] = [
  {
    id: 'consumption',
    label: 'Consumption (the recipient can consume the entitlements)',
    operations: [
      'CheckoutLicense',
      'CheckInLicense',
      'CheckoutBorrowLicense',
      'ExtendConsumptionLicense',
      'ListPurchasedLicenses',
    ],
  },
  {
    id: 'distribution',
    label: 'Distribution (the recipient can grant the entitlements to other accounts)',
    operations: ['CreateGrant'],
  },
  { id: 'token', label: 'Allow on-premise token generation', operations: ['CreateToken'] },
];

/**
 * "Create grant": a name, the recipient (an AWS account ID, or an organization or OU ARN) and the
 * license rights, in the licence's home Region. The API's refusal shows beside the form.
 */
export function GrantCreate({
  client,
  licenseArn,
  homeRegion,
  onCreated,
}: {
  client: LicenseManagerClient;
  licenseArn: string;
  homeRegion: string;
  onCreated(): void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    try {
      await client.call('CreateGrant', {
        GrantName: String(form.get('grantName') ?? '').trim(),
        LicenseArn: licenseArn,
        Principals: [principalOf(String(form.get('recipient') ?? ''))],
        HomeRegion: homeRegion,
        AllowedOperations: LICENSE_RIGHTS.filter((right) => form.get(right.id) === 'on').flatMap(
          (right) => right.operations,
        ),
        ClientToken: clientToken(),
      });
      formElement.reset();
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form grant-create" onSubmit={submit} aria-describedby={error ? 'grant-error' : undefined}>
      <fieldset>
        <legend>Create grant</legend>
        <TextField id="grant-name" name="grantName" label="Grant name" required maxLength={150} />
        <TextField
          id="grant-recipient"
          name="recipient"
          label="Recipient: AWS account ID, or organization or OU ARN"
          required
          spellCheck={false}
          placeholder="222222222222 or arn:aws:organizations::111111111111:ou/o-…/ou-…"
        />
        <fieldset className="rights">
          <legend>License rights</legend>
          {LICENSE_RIGHTS.map((right) => (
            <div className="field checkbox" key={right.id}>
              <input
                id={`right-${right.id}`}
                name={right.id}
                type="checkbox"
                defaultChecked={right.id === 'consumption'}
              />
              <label htmlFor={`right-${right.id}`}>{right.label}</label>
            </div>
          ))}
        </fieldset>
        <p className="hint">Home Region: {homeRegion}</p>
        {error !== null && <ErrorMessage error={error} id="grant-error" />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating grant…' : 'Create grant'}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import { hrefOf, navigate } from '../router';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorMessage } from './error-message';

/**
 * A self-managed license's actions in the guide's words: Edit, Deactivate or Activate
 * (UpdateLicenseConfiguration's status) and Delete (DeleteLicenseConfiguration, once confirmed).
 * A refusal (a configuration still in use cannot be deleted) is shown beside the buttons.
 */
export function LicenseActions({
  client,
  configuration,
  onChanged,
}: {
  client: LicenseManagerClient;
  configuration: LicenseManager.GetLicenseConfigurationResponse;
  onChanged(): void;
}) {
  const arn = configuration.LicenseConfigurationArn!;
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const active = configuration.Status !== 'DISABLED';

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    }
  };
  const setStatus = () =>
    run(async () => {
      await client.call('UpdateLicenseConfiguration', {
        LicenseConfigurationArn: arn,
        LicenseConfigurationStatus: active ? 'DISABLED' : 'AVAILABLE',
      });
      onChanged();
    });
  const remove = () =>
    run(async () => {
      setConfirming(false);
      await client.call('DeleteLicenseConfiguration', { LicenseConfigurationArn: arn });
      navigate(hrefOf.licenses());
    });

  return (
    <div className="license-actions" aria-describedby={error ? 'license-action-error' : undefined}>
      <a className="button" href={hrefOf.editLicense(arn)}>
        Edit
      </a>
      <button type="button" onClick={() => void setStatus()}>
        {active ? 'Deactivate' : 'Activate'}
      </button>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
      {error !== null && <ErrorMessage error={error} id="license-action-error" />}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${configuration.Name}?`}
          confirmLabel="Delete"
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The self-managed license and its rules are deleted for good. Resources associated with it are no longer
            tracked against it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import type { LicenseManagerClient } from '../api/license-manager-client';
import { ErrorMessage } from './error-message';

/**
 * Associates a resource (an instance, host or AMI reported to the inventory) with the configuration by
 * its ARN, through UpdateLicenseSpecificationsForResource; a refusal (a hard limit, a rule) shows here.
 */
export function AssociateResource({
  client,
  configurationArn,
  onAssociated,
}: {
  client: LicenseManagerClient;
  configurationArn: string;
  onAssociated(): void;
}) {
  const [resourceArn, setResourceArn] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client.call('UpdateLicenseSpecificationsForResource', {
        ResourceArn: resourceArn.trim(),
        AddLicenseSpecifications: [{ LicenseConfigurationArn: configurationArn }],
      });
      setResourceArn('');
      onAssociated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-describedby={error ? 'associate-error' : undefined}>
      <div className="field">
        <label htmlFor="resource-arn">Resource ARN</label>
        <input
          id="resource-arn"
          value={resourceArn}
          onChange={(e) => setResourceArn(e.target.value)}
          required
          spellCheck={false}
          placeholder="arn:aws:ec2:us-east-1:111111111111:instance/i-…"
          aria-describedby="resource-arn-hint"
        />
        <p className="hint" id="resource-arn-hint">
          An instance, Dedicated Host or AMI (arn:aws:ec2:us-east-1::image/ami-…) reported to the inventory.
        </p>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Associating…' : 'Associate resource'}
      </button>
      {error !== null && <ErrorMessage error={error} id="associate-error" />}
    </form>
  );
}

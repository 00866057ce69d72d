import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { useApi } from '../api/use-api';
import { allConfigurations } from '../licensing/read-all';
import { hrefOf } from '../router';
import { useSession } from '../session/session';
import { ErrorMessage } from './error-message';
import { LoadedView } from './loaded-view';

/**
 * The guide's "Associate self-managed license" from inventory search: a resource found there
 * associated with one of the account's self-managed licenses (UpdateLicenseSpecificationsForResource);
 * a refusal (a rule, a hard limit) is shown beside the form.
 */
export function AssociateLicense({
  resource,
  onClose,
}: {
  resource: LicenseManager.ResourceInventory;
  onClose(): void;
}) {
  const { licenseManager } = useSession();
  const [configurations] = useApi(() => allConfigurations(licenseManager), 'configurations');
  const [error, setError] = useState<unknown>(null);
  const [associated, setAssociated] = useState<LicenseManager.LicenseConfiguration | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>, list: LicenseManager.LicenseConfiguration[]) => {
    event.preventDefault();
    const arn = String(new FormData(event.currentTarget).get('configuration'));
    setBusy(true);
    setError(null);
    setAssociated(null);
    try {
      await licenseManager.call('UpdateLicenseSpecificationsForResource', {
        ResourceArn: resource.ResourceArn!,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      });
      setAssociated(list.find((c) => c.LicenseConfigurationArn === arn) ?? null);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="associate-license-heading">
      <h2 id="associate-license-heading">Associate a self-managed license with {resource.ResourceId}</h2>
      <LoadedView state={configurations} what="self-managed licenses">
        {(list) =>
          list.length === 0 ? (
            <p>
              No self-managed license yet: <a href={hrefOf.createLicense()}>create one</a> first.
            </p>
          ) : (
            <form
              className="inline-form"
              onSubmit={(event) => void submit(event, list)}
              aria-describedby={error ? 'associate-license-error' : undefined}
            >
              <div className="field">
                <label htmlFor="associate-configuration">Self-managed license name</label>
                <select id="associate-configuration" name="configuration">
                  {list.map((c) => (
                    <option key={c.LicenseConfigurationArn} value={c.LicenseConfigurationArn}>
                      {c.Name}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" onClick={onClose}>
                Close
              </button>
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Associating…' : 'Associate'}
              </button>
              {error !== null && <ErrorMessage error={error} id="associate-license-error" />}
              {associated && (
                <p className="note" role="status">
                  Associated with <a href={hrefOf.license(associated.LicenseConfigurationArn!)}>{associated.Name}</a>.
                </p>
              )}
            </form>
          )
        }
      </LoadedView>
    </section>
  );
}

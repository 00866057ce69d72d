import { useState, type FormEvent } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/use-api';
import { ErrorMessage } from '../components/error-message';
import { LoadedView } from '../components/loaded-view';
import { useSession } from '../session/session';

type Settings = LicenseManager.GetServiceSettingsResponse;
type Field = 'organization' | 'discovery' | 'topic' | 'bucket' | 'form';

/** Which field an API error is about, from the words of its message. */
function fieldOf(error: unknown): Field {
  const message = error instanceof ApiError ? error.message : '';
  if (/sns|topic/i.test(message)) return 'topic';
  if (/s3|bucket/i.test(message)) return 'bucket';
  if (/cross-account|discovery/i.test(message)) return 'discovery';
  if (/organi[sz]ation/i.test(message)) return 'organization';
  return 'form';
}

/**
 * The guide's "Edit License Manager settings": link AWS Organizations, cross-account inventory
 * discovery (neither can be turned off once on), the SNS topic for alerts and the S3 bucket for
 * reports (GetServiceSettings, UpdateServiceSettings with only what changed).
 */
export function SettingsPage() {
  const { licenseManager } = useSession();
  const [state, reload] = useApi(() => licenseManager.call('GetServiceSettings', {}), 'settings');
  return (
    <>
      <h1>Settings</h1>
      <LoadedView state={state} what="the settings">
        {(settings) => <SettingsForm settings={settings} onSaved={reload} />}
      </LoadedView>
    </>
  );
}

function SettingsForm({ settings, onSaved }: { settings: Settings; onSaved(): void }) {
  const { licenseManager } = useSession();
  const [error, setError] = useState<{ field: Field; error: unknown } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const linked = settings.OrganizationConfiguration?.EnableIntegration ?? false;
  const discovering = settings.EnableCrossAccountsDiscovery ?? false;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const update: LicenseManager.UpdateServiceSettingsRequest = {};
    if (!linked && form.get('organization') === 'on') update.OrganizationConfiguration = { EnableIntegration: true };
    if (!discovering && form.get('discovery') === 'on') update.EnableCrossAccountsDiscovery = true;
    if (text('topic') !== (settings.SnsTopicArn ?? '')) update.SnsTopicArn = text('topic');
    if (text('bucket') !== (settings.S3BucketArn ?? '')) update.S3BucketArn = text('bucket');
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await licenseManager.call('UpdateServiceSettings', update);
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError({ field: fieldOf(failure), error: failure });
    } finally {
      setBusy(false);
    }
  };
  const errorAt = (field: Field) => (error?.field === field ? error.error : undefined);
  const describedBy = (field: Field, hint?: string) =>
    [hint, errorAt(field) !== undefined ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) =>
    errorAt(field) !== undefined && <ErrorMessage error={errorAt(field)} id={`${field}-error`} />;

  return (
    <form className="form" onSubmit={submit}>
      <fieldset>
        <legend>AWS Organizations</legend>
        <div className="field checkbox">
          <input
            id="organization"
            name="organization"
            type="checkbox"
            defaultChecked={linked}
            disabled={linked}
            aria-describedby={describedBy('organization', 'organization-hint')}
          />
          <label htmlFor="organization">Link AWS Organizations</label>
        </div>
        <p className="hint" id="organization-hint">
          The management account shares its self-managed licenses with every member account. Once linked, it stays
          linked.
          {settings.LicenseManagerResourceShareArn && ` Resource share: ${settings.LicenseManagerResourceShareArn}.`}
        </p>
        {fieldError('organization')}
        <div className="field checkbox">
          <input
            id="discovery"
            name="discovery"
            type="checkbox"
            defaultChecked={discovering}
            disabled={discovering}
            aria-describedby={describedBy('discovery', 'discovery-hint')}
          />
          <label htmlFor="discovery">Cross-account inventory search</label>
        </div>
        <p className="hint" id="discovery-hint">
          Inventory search shows the resources of every account of the organization. It cannot be turned off once on.
          {settings.ServiceStatus?.CrossAccountDiscovery?.Message &&
            ` Status: ${settings.ServiceStatus.CrossAccountDiscovery.Message}`}
        </p>
        {fieldError('discovery')}
      </fieldset>
      <fieldset>
        <legend>Notifications and reports</legend>
        <div className="field">
          <label htmlFor="topic">Amazon SNS topic ARN</label>
          <input
            id="topic"
            name="topic"
            defaultValue={settings.SnsTopicArn ?? ''}
            spellCheck={false}
            aria-describedby={describedBy('topic')}
          />
          {fieldError('topic')}
        </div>
        <div className="field">
          <label htmlFor="bucket">S3 bucket ARN</label>
          <input
            id="bucket"
            name="bucket"
            defaultValue={settings.S3BucketArn ?? ''}
            spellCheck={false}
            aria-describedby={describedBy('bucket')}
          />
          {fieldError('bucket')}
        </div>
      </fieldset>
      {fieldError('form')}
      {saved && (
        <p className="note" role="status">
          Settings saved.
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

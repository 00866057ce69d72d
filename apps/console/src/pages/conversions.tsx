import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/error-message';
import { PagedTable } from '../components/paged-table';
import { formatTime } from '../licensing/consumption';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/**
 * License type conversion: the account's conversion tasks (ListLicenseConversionTasks, a page at a
 * time) and the guide's "Create license type conversion" for one instance, from its current usage
 * operation to the destination one (CreateLicenseConversionTaskForResource); a refusal is shown beside the form.
 */
export function ConversionsPage() {
  const { licenseManager } = useSession();
  const [created, setCreated] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await licenseManager.call('CreateLicenseConversionTaskForResource', {
        ResourceArn: text('resource'),
        SourceLicenseContext: { UsageOperation: text('source') },
        DestinationLicenseContext: { UsageOperation: text('destination') },
      });
      form.reset();
      setCreated((n) => n + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>License type conversion</h1>
      <section aria-labelledby="conversion-create-heading">
        <h2 id="conversion-create-heading">Create license type conversion</h2>
        <form className="form" onSubmit={submit} aria-describedby={error ? 'conversion-error' : undefined}>
          <div className="field">
            <label htmlFor="conversion-resource">Instance ARN</label>
            <input id="conversion-resource" name="resource" required spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor="conversion-source">Current usage operation</label>
            <input
              id="conversion-source"
              name="source"
              required
              spellCheck={false}
              aria-describedby="conversion-usage-hint"
            />
          </div>
          <div className="field">
            <label htmlFor="conversion-destination">Destination usage operation</label>
            <input
              id="conversion-destination"
              name="destination"
              required
              spellCheck={false}
              aria-describedby="conversion-usage-hint"
            />
          </div>
          <p className="hint" id="conversion-usage-hint">
            For example RunInstances:0800 (Windows, bring your own license) and RunInstances:0002 (Windows, license
            included).
          </p>
          {error !== null && <ErrorMessage error={error} id="conversion-error" />}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Converting…' : 'Convert'}
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby="conversion-tasks-heading">
        <h2 id="conversion-tasks-heading">Conversion tasks</h2>
        <PagedTable
          what="the license conversion tasks"
          label="Conversion task list"
          empty="No license type conversion yet."
          dependsOn={String(created)}
          load={async (NextToken) => {
            const page = await licenseManager.call('ListLicenseConversionTasks', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.LicenseConversionTasks ?? [], nextToken: page.NextToken };
          }}
          rowKey={(t) => t.LicenseConversionTaskId ?? ''}
          columns={[
            { header: 'Resource', cell: (t) => t.ResourceArn },
            { header: 'From', cell: (t) => t.SourceLicenseContext?.UsageOperation ?? '—' },
            { header: 'To', cell: (t) => t.DestinationLicenseContext?.UsageOperation ?? '—' },
            { header: 'Status', cell: (t) => [t.Status, t.StatusMessage].filter(Boolean).join(': ') },
            { header: 'Started', cell: (t) => formatTime(t.StartTime) },
          ]}
        />
      </section>
    </>
  );
}

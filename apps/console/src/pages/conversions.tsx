import { useState } from 'react';
import { ActionForm, textOf } from '../components/action-form';
import { PagedTable } from '../components/paged-table';
import { TextField } from '../components/text-field';
import { formatTime } from '../licensing/consumption';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/**
 * License type conversion: the account's conversion tasks (ListLicenseConversionTasks, a page at a
 * time) and the guide's "Create license type conversion" for one instance, from its current usage
 * operation to the destination one (CreateLicenseConversionTaskForResource); a refusal is shown beside the form
 * (ActionForm's).
 */
export function ConversionsPage() {
  const { licenseManager } = useSession();
  const [created, setCreated] = useState(0);
  return (
    <>
      <h1>License type conversion</h1>
      <section aria-labelledby="conversion-create-heading">
        <h2 id="conversion-create-heading">Create license type conversion</h2>
        <ActionForm
          legend="Instance and usage operations"
          submitLabel="Convert"
          submit={(form) =>
            licenseManager.call('CreateLicenseConversionTaskForResource', {
              ResourceArn: textOf(form, 'resource'),
              SourceLicenseContext: { UsageOperation: textOf(form, 'source') },
              DestinationLicenseContext: { UsageOperation: textOf(form, 'destination') },
            })
          }
          onDone={() => setCreated((n) => n + 1)}
        >
          <TextField id="conversion-resource" name="resource" label="Instance ARN" required spellCheck={false} />
          <TextField
            id="conversion-source"
            name="source"
            label="Current usage operation"
            required
            spellCheck={false}
            aria-describedby="conversion-usage-hint"
          />
          <TextField
            id="conversion-destination"
            name="destination"
            label="Destination usage operation"
            required
            spellCheck={false}
            aria-describedby="conversion-usage-hint"
          />
          <p className="hint" id="conversion-usage-hint">
            For example RunInstances:0800 (Windows, bring your own license) and RunInstances:0002 (Windows, license
            included).
          </p>
        </ActionForm>
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

import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { useApi } from '../api/use-api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { LoadedView } from '../components/loaded-view';
import { PagedRows } from '../components/paged-table';
import { usePager } from '../components/pager';
import { ReportGeneratorForm, type ReportGeneratorDefinition } from '../components/report-generator-form';
import { allConfigurations } from '../licensing/read-all';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/** 32 random hex digits: getRandomValues, unlike randomUUID, works on a gateway served over plain HTTP too. */
const clientToken = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');

type Editing = { mode: 'create' } | { mode: 'edit'; generator: LicenseManager.ReportGenerator } | null;

/**
 * Usage reports: the account's report generators (ListLicenseManagerReportGenerators, a page at a
 * time), created and edited with one form, deleted once confirmed. Reports go to the S3 bucket of
 * the settings.
 */
export function ReportsPage() {
  const { licenseManager } = useSession();
  const pager = usePager();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<LicenseManager.ReportGenerator | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const [state, reload] = useApi(
    () => licenseManager.call('ListLicenseManagerReportGenerators', { MaxResults: PAGE_SIZE, NextToken: pager.token }),
    `${pager.token}`,
  );
  const [configurations] = useApi(() => allConfigurations(licenseManager), 'configurations');

  const save = async (definition: ReportGeneratorDefinition) => {
    // A client token per submission: a retried request is the same generator, another submission a new one.
    const ClientToken = clientToken();
    if (editing?.mode === 'edit')
      await licenseManager.call('UpdateLicenseManagerReportGenerator', {
        ...definition,
        LicenseManagerReportGeneratorArn: editing.generator.LicenseManagerReportGeneratorArn!,
        ClientToken,
      });
    else await licenseManager.call('CreateLicenseManagerReportGenerator', { ...definition, ClientToken });
    setEditing(null);
    reload();
  };
  const remove = async (generator: LicenseManager.ReportGenerator) => {
    setDeleting(null);
    setDeleteError(null);
    try {
      await licenseManager.call('DeleteLicenseManagerReportGenerator', {
        LicenseManagerReportGeneratorArn: generator.LicenseManagerReportGeneratorArn!,
      });
      reload();
    } catch (failure) {
      setDeleteError(failure);
    }
  };

  return (
    <>
      <div className="page-heading">
        <h1>Usage reports</h1>
        {editing === null && (
          <button type="button" className="primary" onClick={() => setEditing({ mode: 'create' })}>
            Create report generator
          </button>
        )}
      </div>
      {editing !== null && (
        <section aria-labelledby="report-form-heading">
          <h2 id="report-form-heading">
            {editing.mode === 'edit' ? `Edit ${editing.generator.ReportGeneratorName}` : 'Create report generator'}
          </h2>
          <LoadedView state={configurations} what="self-managed licenses">
            {(list) => (
              <ReportGeneratorForm
                key={editing.mode === 'edit' ? editing.generator.LicenseManagerReportGeneratorArn : 'new'}
                initial={editing.mode === 'edit' ? editing.generator : undefined}
                configurations={list}
                submitLabel={editing.mode === 'edit' ? 'Save changes' : 'Create'}
                submit={save}
                onCancel={() => setEditing(null)}
              />
            )}
          </LoadedView>
        </section>
      )}
      {deleteError !== null && <ErrorMessage error={deleteError} />}
      <PagedRows
        state={state}
        pager={pager}
        pageOf={(page) => ({ rows: page.ReportGenerators ?? [], nextToken: page.NextToken })}
        what="report generators"
        label="Report generator list"
        pagerLabel="Report generator pages"
        empty="No report generator yet."
        rowKey={(g) => g.LicenseManagerReportGeneratorArn ?? ''}
        columns={[
          { header: 'Name', cell: (g) => g.ReportGeneratorName },
          { header: 'Report types', cell: (g) => (g.ReportType ?? []).join(', ') },
          { header: 'Frequency', cell: (g) => g.ReportFrequency?.period },
          {
            header: 'Last run',
            cell: (g) =>
              `${g.LastRunStatus ?? 'Not yet'}${g.LastRunFailureReason ? `: ${g.LastRunFailureReason}` : ''}`,
          },
          {
            header: 'Reports in',
            cell: (g) => (g.S3Location?.bucket ? `s3://${g.S3Location.bucket}/${g.S3Location.keyPrefix ?? ''}` : '—'),
          },
          {
            header: 'Actions',
            hiddenHeader: true,
            className: 'row-actions',
            cell: (g) => (
              <>
                <button
                  type="button"
                  aria-label={`Edit ${g.ReportGeneratorName}`}
                  onClick={() => setEditing({ mode: 'edit', generator: g })}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="danger"
                  aria-label={`Delete ${g.ReportGeneratorName}`}
                  onClick={() => setDeleting(g)}
                >
                  Delete
                </button>
              </>
            ),
          },
        ]}
      />
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.ReportGeneratorName}?`}
          confirmLabel="Delete"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>The report generator stops making reports. Reports already in the S3 bucket stay there.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { useApi } from '../api/use-api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { LoadedView } from '../components/loaded-view';
import { Pager, usePager } from '../components/pager';
import { ReportGeneratorForm, type ReportGeneratorDefinition } from '../components/report-generator-form';
import { TableScroll } from '../components/table-scroll';
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
      <LoadedView state={state} what="report generators">
        {(page) =>
          (page.ReportGenerators ?? []).length === 0 && pager.page === 1 ? (
            <p>No report generator yet.</p>
          ) : (
            <>
              <TableScroll label="Report generator list">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Report types</th>
                      <th scope="col">Frequency</th>
                      <th scope="col">Last run</th>
                      <th scope="col">Reports in</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {(page.ReportGenerators ?? []).map((g) => (
                      <tr key={g.LicenseManagerReportGeneratorArn}>
                        <td>{g.ReportGeneratorName}</td>
                        <td>{(g.ReportType ?? []).join(', ')}</td>
                        <td>{g.ReportFrequency?.period}</td>
                        <td>
                          {g.LastRunStatus ?? 'Not yet'}
                          {g.LastRunFailureReason && `: ${g.LastRunFailureReason}`}
                        </td>
                        <td>
                          {g.S3Location?.bucket ? `s3://${g.S3Location.bucket}/${g.S3Location.keyPrefix ?? ''}` : '—'}
                        </td>
                        <td className="row-actions">
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
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <Pager pager={pager} nextToken={page.NextToken} label="Report generator pages" />
            </>
          )
        }
      </LoadedView>
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

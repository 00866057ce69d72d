import type { LicenseManager } from '@lm/api-model';
import type { Loaded } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { Pager, type usePager } from '../components/pager';
import { TableScroll } from '../components/table-scroll';
import { licenseStatusLabel } from '../grants/grant-status';

/** A licence's versions, oldest first (ListLicenseVersions), a page at a time: each is immutable. */
export function LicenseVersions({
  state,
  pager,
}: {
  state: Loaded<LicenseManager.ListLicenseVersionsResponse>;
  pager: ReturnType<typeof usePager>;
}) {
  return (
    <LoadedView state={state} what="the license versions">
      {(page) => (
        <>
          <TableScroll label="License version list">
            <table>
              <caption className="visually-hidden">License versions</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">License name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Validity</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {(page.Licenses ?? []).map((version) => (
                  <tr key={version.Version}>
                    <td>{version.Version}</td>
                    <td>{version.LicenseName}</td>
                    <td>{licenseStatusLabel(version.Status)}</td>
                    <td>{validityText(version.Validity)}</td>
                    <td>{version.CreateTime ? new Date(version.CreateTime).toLocaleString() : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {(pager.page > 1 || page.NextToken) && (
            <Pager pager={pager} nextToken={page.NextToken} label="Pages of license versions" />
          )}
        </>
      )}
    </LoadedView>
  );
}

/** "2026-01-01 to 2036-01-01", or "from 2026-01-01" without an end. */
export const validityText = (validity: LicenseManager.DatetimeRange | undefined) =>
  !validity
    ? '—'
    : validity.End
      ? `${validity.Begin.slice(0, 10)} to ${validity.End.slice(0, 10)}`
      : `from ${validity.Begin.slice(0, 10)}`;

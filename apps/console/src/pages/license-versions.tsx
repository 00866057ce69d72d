import type { LicenseManager } from '@lm/api-model';
import type { Loaded } from '../api/use-api';
import { PagedRows } from '../components/paged-table';
import type { usePager } from '../components/pager';
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
    <PagedRows
      state={state}
      pager={pager}
      pageOf={(page) => ({ rows: page.Licenses ?? [], nextToken: page.NextToken })}
      what="the license versions"
      label="License version list"
      caption="License versions"
      pagerLabel="Pages of license versions"
      empty="No version."
      rowKey={(version) => version.Version ?? ''}
      columns={[
        { header: 'Version', cell: (version) => version.Version },
        { header: 'License name', cell: (version) => version.LicenseName },
        { header: 'Status', cell: (version) => licenseStatusLabel(version.Status) },
        { header: 'Validity', cell: (version) => validityText(version.Validity) },
        {
          header: 'Created',
          cell: (version) => (version.CreateTime ? new Date(version.CreateTime).toLocaleString() : '—'),
        },
      ]}
    />
  );
}

/** "2026-01-01 to 2036-01-01", or "from 2026-01-01" without an end. */
export const validityText = (validity: LicenseManager.DatetimeRange | undefined) =>
  !validity
    ? '—'
    : validity.End
      ? `${validity.Begin.slice(0, 10)} to ${validity.End.slice(0, 10)}`
      : `from ${validity.Begin.slice(0, 10)}`;

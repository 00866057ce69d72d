import type { LicenseManager } from '@lm/api-model';
import type { Loaded } from '../api/use-api';
import { PagedRows } from '../components/paged-table';
import type { usePager } from '../components/pager';

/** The resources consuming a configuration's licences (ListUsageForLicenseConfiguration), a page at a time. */
export function LicenseUsage({
  state,
  pager,
}: {
  state: Loaded<LicenseManager.ListUsageForLicenseConfigurationResponse>;
  pager: ReturnType<typeof usePager>;
}) {
  return (
    <PagedRows
      state={state}
      pager={pager}
      pageOf={(page) => ({ rows: page.LicenseConfigurationUsageList ?? [], nextToken: page.NextToken })}
      what="the resources consuming licenses"
      label="Resources consuming licenses"
      caption="Resources consuming licenses"
      pagerLabel="Pages of resources consuming licenses"
      rowKey={(u) => u.ResourceArn ?? ''}
      columns={[
        { header: 'Resource', className: 'arn', cell: (u) => u.ResourceArn },
        { header: 'Type', cell: (u) => u.ResourceType },
        { header: 'Status', cell: (u) => u.ResourceStatus },
        { header: 'Licenses', cell: (u) => u.ConsumedLicenses },
      ]}
    />
  );
}

import type { LicenseManager } from '@lm/api-model';
import type { Loaded } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { Pager, type usePager } from '../components/pager';
import { TableScroll } from '../components/table-scroll';

/** The resources consuming a configuration's licences (ListUsageForLicenseConfiguration), a page at a time. */
export function LicenseUsage({
  state,
  pager,
}: {
  state: Loaded<LicenseManager.ListUsageForLicenseConfigurationResponse>;
  pager: ReturnType<typeof usePager>;
}) {
  return (
    <LoadedView state={state} what="the resources consuming licenses">
      {(page) =>
        (page.LicenseConfigurationUsageList ?? []).length === 0 && pager.page === 1 ? null : (
          <>
            <TableScroll label="Resources consuming licenses">
              <table>
                <caption>Resources consuming licenses</caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Licenses</th>
                  </tr>
                </thead>
                <tbody>
                  {(page.LicenseConfigurationUsageList ?? []).map((u) => (
                    <tr key={u.ResourceArn}>
                      <td className="arn">{u.ResourceArn}</td>
                      <td>{u.ResourceType}</td>
                      <td>{u.ResourceStatus}</td>
                      <td>{u.ConsumedLicenses}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {(pager.page > 1 || page.NextToken) && (
              <Pager pager={pager} nextToken={page.NextToken} label="Pages of resources consuming licenses" />
            )}
          </>
        )
      }
    </LoadedView>
  );
}

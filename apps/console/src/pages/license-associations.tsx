import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import type { Loaded } from '../api/use-api';
import { ErrorMessage } from '../components/error-message';
import { LoadedView } from '../components/loaded-view';
import { Pager, type usePager } from '../components/pager';
import { TableScroll } from '../components/table-scroll';
import { formatTime } from '../licensing/consumption';

/**
 * A configuration's associations (ListAssociationsForLicenseConfiguration), a page at a time, each with
 * Disassociate (UpdateLicenseSpecificationsForResource); a refusal is shown in its row.
 */
export function LicenseAssociations({
  client,
  configurationArn,
  state,
  pager,
  onChanged,
}: {
  client: LicenseManagerClient;
  configurationArn: string;
  state: Loaded<LicenseManager.ListAssociationsForLicenseConfigurationResponse>;
  pager: ReturnType<typeof usePager>;
  onChanged(): void;
}) {
  const [refusal, setRefusal] = useState<{ resourceArn: string; error: unknown } | null>(null);

  const disassociate = async (resourceArn: string) => {
    setRefusal(null);
    try {
      await client.call('UpdateLicenseSpecificationsForResource', {
        ResourceArn: resourceArn,
        RemoveLicenseSpecifications: [{ LicenseConfigurationArn: configurationArn }],
      });
      onChanged();
    } catch (error) {
      setRefusal({ resourceArn, error });
    }
  };

  return (
    <LoadedView state={state} what="the associated resources">
      {(page) =>
        (page.LicenseConfigurationAssociations ?? []).length === 0 && pager.page === 1 ? (
          <p>No resource is associated.</p>
        ) : (
          <>
            <TableScroll label="Association list">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Type</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Associated</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {(page.LicenseConfigurationAssociations ?? []).map((a) => (
                    <tr key={a.ResourceArn}>
                      <td className="arn">{a.ResourceArn}</td>
                      <td>{a.ResourceType}</td>
                      <td>{a.ResourceOwnerId}</td>
                      <td>{formatTime(a.AssociationTime)}</td>
                      <td>
                        <button
                          type="button"
                          aria-label={`Disassociate ${a.ResourceArn}`}
                          onClick={() => void disassociate(a.ResourceArn!)}
                        >
                          Disassociate
                        </button>
                        {refusal && refusal.resourceArn === a.ResourceArn && <ErrorMessage error={refusal.error} />}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {(pager.page > 1 || page.NextToken) && (
              <Pager pager={pager} nextToken={page.NextToken} label="Pages of associated resources" />
            )}
          </>
        )
      }
    </LoadedView>
  );
}

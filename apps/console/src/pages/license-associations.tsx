import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import type { Loaded } from '../api/use-api';
import { ErrorMessage } from '../components/error-message';
import { PagedRows } from '../components/paged-table';
import type { usePager } from '../components/pager';
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
    <PagedRows
      state={state}
      pager={pager}
      pageOf={(page) => ({ rows: page.LicenseConfigurationAssociations ?? [], nextToken: page.NextToken })}
      what="the associated resources"
      label="Association list"
      pagerLabel="Pages of associated resources"
      empty="No resource is associated."
      rowKey={(a) => a.ResourceArn ?? ''}
      columns={[
        { header: 'Resource', className: 'arn', cell: (a) => a.ResourceArn },
        { header: 'Type', cell: (a) => a.ResourceType },
        { header: 'Owner', cell: (a) => a.ResourceOwnerId },
        { header: 'Associated', cell: (a) => formatTime(a.AssociationTime) },
        {
          header: 'Actions',
          hiddenHeader: true,
          cell: (a) => (
            <>
              <button
                type="button"
                aria-label={`Disassociate ${a.ResourceArn}`}
                onClick={() => void disassociate(a.ResourceArn!)}
              >
                Disassociate
              </button>
              {refusal && refusal.resourceArn === a.ResourceArn && <ErrorMessage error={refusal.error} />}
            </>
          ),
        },
      ]}
    />
  );
}

import { useState } from 'react';
import { PagedTable } from '../components/paged-table';
import { formatTime } from '../licensing/consumption';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/**
 * License asset groups and the rulesets that decide what they hold (ListLicenseAssetGroups,
 * ListLicenseAssetRulesets), each a page at a time; the AWS managed rulesets on request.
 */
export function AssetGroupsPage() {
  const { licenseManager } = useSession();
  const [managed, setManaged] = useState(false);
  return (
    <>
      <h1>License asset groups</h1>
      <section aria-labelledby="asset-groups-heading">
        <h2 id="asset-groups-heading">Asset groups</h2>
        <PagedTable
          what="the license asset groups"
          label="Asset group list"
          empty="No license asset group yet."
          load={async (NextToken) => {
            const page = await licenseManager.call('ListLicenseAssetGroups', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.LicenseAssetGroups ?? [], nextToken: page.NextToken };
          }}
          rowKey={(g) => g.LicenseAssetGroupArn}
          columns={[
            { header: 'Name', cell: (g) => g.Name },
            { header: 'Status', cell: (g) => [g.Status, g.StatusMessage].filter(Boolean).join(': ') },
            { header: 'Rulesets', cell: (g) => g.AssociatedLicenseAssetRulesetARNs.length },
            {
              header: 'Usage dimensions',
              cell: (g) => (g.LicenseAssetGroupConfigurations ?? []).map((c) => c.UsageDimension).join(', ') || '—',
            },
            { header: 'Resources discovered', cell: (g) => formatTime(g.LatestResourceDiscoveryTime) },
          ]}
        />
      </section>
      <section aria-labelledby="rulesets-heading">
        <h2 id="rulesets-heading">Rulesets</h2>
        <div className="field checkbox">
          <input
            id="managed-rulesets"
            type="checkbox"
            checked={managed}
            onChange={(e) => setManaged(e.target.checked)}
          />
          <label htmlFor="managed-rulesets">Show AWS managed rulesets</label>
        </div>
        <PagedTable
          what="the license asset rulesets"
          label="Ruleset list"
          empty="No ruleset yet."
          dependsOn={String(managed)}
          load={async (NextToken) => {
            const page = await licenseManager.call('ListLicenseAssetRulesets', {
              MaxResults: PAGE_SIZE,
              NextToken,
              ShowAWSManagedLicenseAssetRulesets: managed,
            });
            return { rows: page.LicenseAssetRulesets ?? [], nextToken: page.NextToken };
          }}
          rowKey={(r) => r.LicenseAssetRulesetArn}
          columns={[
            { header: 'Name', cell: (r) => r.Name },
            { header: 'Description', cell: (r) => r.Description ?? '—' },
            { header: 'Rules', cell: (r) => r.Rules.length },
          ]}
        />
      </section>
    </>
  );
}

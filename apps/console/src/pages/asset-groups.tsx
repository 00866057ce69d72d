import { useReducer, useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import { AssetGroupForm } from '../assets/asset-group-form';
import { describeRule } from '../assets/asset-rules';
import { RulesetForm } from '../assets/ruleset-form';
import { PagedTable } from '../components/paged-table';
import { RowAction } from '../components/row-action';
import { formatTime } from '../licensing/consumption';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/** AWS managed rulesets are the Region's (account `aws` in their ARN): read only. */
const isManaged = (ruleset: LicenseManager.LicenseAssetRuleset) =>
  /:aws:ruleset\//.test(ruleset.LicenseAssetRulesetArn);

/** What a form on the page edits: a new group or ruleset, or one of them. */
type Editing =
  | { kind: 'group'; group?: LicenseManager.LicenseAssetGroup }
  | { kind: 'ruleset'; ruleset?: LicenseManager.LicenseAssetRuleset }
  | null;

/**
 * License asset groups and the rulesets that decide what they hold, each a page at a time (the AWS
 * managed rulesets on request): create, edit and delete both. The guide's rules are the API's: a
 * group's deletion is final and keeps its rulesets; a ruleset a group uses cannot be deleted, nor an
 * AWS managed one edited (the console offers neither); a refusal shows in the form or the row.
 */
export function AssetGroupsPage() {
  const { licenseManager } = useSession();
  const [managed, setManaged] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const [version, changed] = useReducer((n: number) => n + 1, 0);
  const saved = () => {
    setEditing(null);
    changed();
  };
  return (
    <>
      <h1>License asset groups</h1>
      <section aria-labelledby="asset-groups-heading">
        <div className="page-heading">
          <h2 id="asset-groups-heading">Asset groups</h2>
          <button type="button" onClick={() => setEditing({ kind: 'group' })}>
            Create asset group
          </button>
        </div>
        {editing?.kind === 'group' && (
          <AssetGroupForm key={editing.group?.LicenseAssetGroupArn ?? 'new'} initial={editing.group} onDone={saved} />
        )}
        <PagedTable
          what="the license asset groups"
          label="Asset group list"
          empty="No license asset group yet."
          dependsOn={String(version)}
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
            {
              header: 'Actions',
              cell: (g) => (
                <div className="row-actions">
                  <button
                    type="button"
                    aria-label={`Edit: ${g.Name}`}
                    onClick={() => setEditing({ kind: 'group', group: g })}
                  >
                    Edit
                  </button>
                  <RowAction
                    label="Delete"
                    target={g.Name}
                    confirm="Deleting an asset group cannot be undone. Its rulesets are kept."
                    run={() =>
                      licenseManager.call('DeleteLicenseAssetGroup', { LicenseAssetGroupArn: g.LicenseAssetGroupArn })
                    }
                    onDone={changed}
                  />
                </div>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="rulesets-heading">
        <div className="page-heading">
          <h2 id="rulesets-heading">Rulesets</h2>
          <button type="button" onClick={() => setEditing({ kind: 'ruleset' })}>
            Create ruleset
          </button>
        </div>
        {editing?.kind === 'ruleset' && (
          <RulesetForm
            key={editing.ruleset?.LicenseAssetRulesetArn ?? 'new'}
            initial={editing.ruleset}
            onDone={saved}
          />
        )}
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
          dependsOn={`${managed}|${version}`}
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
            {
              header: 'Rules',
              cell: (r) => (
                <ul className="plain">
                  {r.Rules.map((rule, index) => (
                    <li key={index}>{describeRule(rule)}</li>
                  ))}
                </ul>
              ),
            },
            {
              header: 'Actions',
              cell: (r) =>
                isManaged(r) ? (
                  'Managed by AWS'
                ) : (
                  <div className="row-actions">
                    <button
                      type="button"
                      aria-label={`Edit: ${r.Name}`}
                      onClick={() => setEditing({ kind: 'ruleset', ruleset: r })}
                    >
                      Edit
                    </button>
                    <RowAction
                      label="Delete"
                      target={r.Name}
                      confirm="Deleting a ruleset cannot be undone. A ruleset an asset group uses cannot be deleted."
                      run={() =>
                        licenseManager.call('DeleteLicenseAssetRuleset', {
                          LicenseAssetRulesetArn: r.LicenseAssetRulesetArn,
                        })
                      }
                      onDone={changed}
                    />
                  </div>
                ),
            },
          ]}
        />
      </section>
    </>
  );
}

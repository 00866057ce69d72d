import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseManagerClient } from '../api/license-manager-client';
import type { Loaded } from '../api/use-api';
import { ErrorMessage } from '../components/error-message';
import { PagedRows } from '../components/paged-table';
import { RowAction } from '../components/row-action';
import type { usePager } from '../components/pager';
import { GRANT_ACTION_LABELS, grantActions, grantStatusLabel, type GrantAction } from '../grants/grant-status';
import { describePrincipal } from '../grants/principal';
import { runGrantAction } from '../grants/run-grant-action';

/**
 * Grants of a licence, a page at a time, with the actions their status allows on this side (the
 * grantee accepts, rejects, activates and deactivates; the grantor activates and deactivates). A
 * refusal is shown in the grant's row.
 */
export function GrantsTable({
  client,
  state,
  pager,
  side,
  title,
  empty,
  onChanged,
}: {
  client: LicenseManagerClient;
  state: Loaded<{ Grants?: LicenseManager.Grant[]; NextToken?: string }>;
  pager: ReturnType<typeof usePager>;
  side: 'grantee' | 'grantor';
  /** What the table lists, e.g. "Grants": its caption, and what is loading. */
  title: string;
  empty: string;
  onChanged(): void;
}) {
  const [refusal, setRefusal] = useState<{ grantArn: string; error: unknown } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [override, setOverride] = useState<LicenseManager.ActivationOverrideBehavior | ''>('');

  const act = async (grant: LicenseManager.Grant, action: GrantAction) => {
    setRefusal(null);
    setBusy(grant.GrantArn);
    try {
      await runGrantAction(client, grant, action, override || undefined);
      onChanged();
    } catch (error) {
      setRefusal({ grantArn: grant.GrantArn, error });
    } finally {
      setBusy(null);
    }
  };

  const hasGrants = state.status === 'loaded' && (state.data.Grants ?? []).length > 0;
  return (
    <>
      {side === 'grantee' && hasGrants && <OverrideChoice value={override} onChange={setOverride} />}
      <PagedRows
        state={state}
        pager={pager}
        pageOf={(page) => ({ rows: page.Grants ?? [], nextToken: page.NextToken })}
        what={title.toLowerCase()}
        label={`${title} list`}
        caption={title}
        pagerLabel={`Pages of ${title.toLowerCase()}`}
        empty={empty}
        rowKey={(grant) => grant.GrantArn}
        columns={[
          {
            header: 'Grant name',
            cell: (grant) => (
              <>
                {grant.GrantName}
                <div className="arn muted">{grant.GrantArn}</div>
              </>
            ),
          },
          { header: 'Recipient', cell: (grant) => describePrincipal(grant.GranteePrincipalArn) },
          {
            header: 'Status',
            cell: (grant) => (
              <>
                <span data-testid="grant-status">{grantStatusLabel(grant.GrantStatus)}</span>
                {grant.StatusReason && <div className="muted">{grant.StatusReason}</div>}
              </>
            ),
          },
          { header: 'Version', cell: (grant) => grant.Version },
          { header: 'License rights', cell: (grant) => (grant.GrantedOperations ?? []).join(', ') },
          {
            header: 'Actions',
            cell: (grant) => (
              <>
                <div className="row-actions">
                  {grantActions(grant.GrantStatus, side).map((action) => (
                    <button
                      key={action}
                      type="button"
                      disabled={busy === grant.GrantArn}
                      aria-label={`${GRANT_ACTION_LABELS[action]}: ${grant.GrantName}`}
                      onClick={() => void act(grant, action)}
                    >
                      {GRANT_ACTION_LABELS[action]}
                    </button>
                  ))}
                  {side === 'grantor' && grant.GrantStatus !== 'DELETED' && grant.GrantStatus !== 'PENDING_DELETE' && (
                    <RowAction
                      label="Delete grant"
                      target={grant.GrantName}
                      confirm="The recipient can no longer use the license through this grant. Deleting a grant cannot be undone."
                      run={() => client.call('DeleteGrant', { GrantArn: grant.GrantArn, Version: grant.Version })}
                      onDone={onChanged}
                    />
                  )}
                </div>
                {refusal?.grantArn === grant.GrantArn && <ErrorMessage error={refusal.error} />}
              </>
            ),
          },
        ]}
      />
    </>
  );
}

/**
 * The choice when activating a granted license (CreateGrantVersion's ActivationOverrideBehavior): while
 * another grant of the product is active, activation is refused unless the issuer's grants may replace it.
 */
function OverrideChoice({
  value,
  onChange,
}: {
  value: LicenseManager.ActivationOverrideBehavior | '';
  onChange(value: LicenseManager.ActivationOverrideBehavior | ''): void;
}) {
  return (
    <div className="field">
      <label htmlFor="activation-override">Activation override behavior</label>
      <select
        id="activation-override"
        value={value}
        onChange={(e) => onChange(e.target.value as LicenseManager.ActivationOverrideBehavior | '')}
      >
        <option value="">None: refused while another grant of the product is active</option>
        <option value="DISTRIBUTED_GRANTS_ONLY">Distributed grants only</option>
        <option value="ALL_GRANTS_PERMITTED_BY_ISSUER">
          All grants permitted by the issuer: replaces the active grant
        </option>
      </select>
    </div>
  );
}

import { useState } from 'react';
import { useApi } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { usePager } from '../components/pager';
import { RowAction } from '../components/row-action';
import { LicenseTokens } from '../grants/license-tokens';
import { LicenseVersionForm } from '../grants/license-version-form';
import { hrefOf, navigate } from '../router';
import { useSession } from '../session/session';
import { GrantCreate } from './grant-create';
import { GrantsTable } from './grants-table';
import { LicenseEntitlements } from './license-entitlements';
import { LicenseSummary } from './license-summary';
import { LicenseVersions } from './license-versions';

const PAGE_SIZE = 10;

/** An issued licence's "License overview": its seller sees the grants it made and grants more. */
export const IssuedLicensePage = ({ arn }: { arn: string }) => <LicenseOverview arn={arn} kind="issued" />;

/**
 * A granted licence's "License overview": the grants it was received by (accept, activate, deactivate,
 * reject), and the grants this account distributed of it.
 */
export const GrantedLicensePage = ({ arn }: { arn: string }) => <LicenseOverview arn={arn} kind="granted" />;

/**
 * A licence (GetLicense) with its entitlements and usage (GetLicenseUsage), grants a page at a time
 * (ListReceivedGrants, ListDistributedGrants) and versions (ListLicenseVersions). Each part loads,
 * fails or is refused on its own; Refresh reads them all again.
 */
function LicenseOverview({ arn, kind }: { arn: string; kind: 'issued' | 'granted' }) {
  const { licenseManager } = useSession();
  const receivedPager = usePager();
  const distributedPager = usePager();
  const versionsPager = usePager();
  const ofThisLicense = [{ Name: 'LicenseArn', Values: [arn] }];
  const [license, reloadLicense] = useApi(() => licenseManager.call('GetLicense', { LicenseArn: arn }), arn);
  const [usage, reloadUsage] = useApi(() => licenseManager.call('GetLicenseUsage', { LicenseArn: arn }), arn);
  const [received, reloadReceived] = useApi(
    async () =>
      kind === 'granted'
        ? licenseManager.call('ListReceivedGrants', {
            Filters: ofThisLicense,
            MaxResults: PAGE_SIZE,
            NextToken: receivedPager.token,
          })
        : {},
    `${arn}|${receivedPager.token}`,
  );
  const [distributed, reloadDistributed] = useApi(
    () =>
      licenseManager.call('ListDistributedGrants', {
        Filters: ofThisLicense,
        MaxResults: PAGE_SIZE,
        NextToken: distributedPager.token,
      }),
    `${arn}|${distributedPager.token}`,
  );
  const [versions, reloadVersions] = useApi(
    () =>
      licenseManager.call('ListLicenseVersions', {
        LicenseArn: arn,
        MaxResults: PAGE_SIZE,
        NextToken: versionsPager.token,
      }),
    `${arn}|${versionsPager.token}`,
  );
  // A grant's change is seen in the grants and in what the licence's usage allows.
  const grantsChanged = () => {
    reloadReceived();
    reloadDistributed();
    reloadUsage();
  };
  const reload = () => {
    reloadLicense();
    reloadVersions();
    grantsChanged();
  };
  const listTitle = kind === 'issued' ? 'Issued licenses' : 'Granted licenses';
  const listHref = kind === 'issued' ? hrefOf.issuedLicenses() : hrefOf.grantedLicenses();
  const [versioning, setVersioning] = useState(false);

  return (
    <>
      <p className="breadcrumb">
        <a href={listHref}>{listTitle}</a> / License overview
      </p>
      <LoadedView state={license} what="the license">
        {({ License: l = {} }) => (
          <>
            <div className="page-heading">
              <h1>{l.LicenseName}</h1>
              <div className="row-actions">
                <button type="button" onClick={reload}>
                  Refresh
                </button>
                {kind === 'issued' && l.Status !== 'DELETED' && (
                  <>
                    <button type="button" aria-expanded={versioning} onClick={() => setVersioning(!versioning)}>
                      Create new version
                    </button>
                    <RowAction
                      label="Delete license"
                      target={l.LicenseName ?? arn}
                      confirm="Its grants can no longer be used. A deleted license stays readable for six months."
                      run={() => licenseManager.call('DeleteLicense', { LicenseArn: arn, SourceVersion: l.Version! })}
                      onDone={() => navigate(listHref)}
                    />
                  </>
                )}
              </div>
            </div>
            {versioning && (
              <LicenseVersionForm
                license={l}
                onDone={() => {
                  setVersioning(false);
                  reload();
                }}
              />
            )}
            <section aria-labelledby="license-details-heading">
              <h2 id="license-details-heading">License details</h2>
              <LicenseSummary license={l} />
            </section>
            <section aria-labelledby="entitlements-heading">
              <h2 id="entitlements-heading">Entitlements</h2>
              <LicenseEntitlements entitlements={l.Entitlements ?? []} usage={usage} />
            </section>
            {kind === 'granted' && (
              <section aria-labelledby="received-heading">
                <h2 id="received-heading">Your grants</h2>
                <GrantsTable
                  client={licenseManager}
                  state={received}
                  pager={receivedPager}
                  side="grantee"
                  title="Received grants"
                  empty="No grant of this license reaches this account."
                  onChanged={grantsChanged}
                />
              </section>
            )}
            <section aria-labelledby="grants-heading">
              <h2 id="grants-heading">{kind === 'issued' ? 'Grants' : 'Grants you distributed'}</h2>
              <GrantsTable
                client={licenseManager}
                state={distributed}
                pager={distributedPager}
                side="grantor"
                title="Distributed grants"
                empty="No grant yet."
                onChanged={grantsChanged}
              />
              <GrantCreate
                client={licenseManager}
                licenseArn={arn}
                homeRegion={l.HomeRegion ?? ''}
                onCreated={grantsChanged}
              />
            </section>
            <section aria-labelledby="tokens-heading">
              <h2 id="tokens-heading">Tokens</h2>
              <LicenseTokens licenseArn={arn} />
            </section>
            <section aria-labelledby="versions-heading">
              <h2 id="versions-heading">Versions</h2>
              <LicenseVersions state={versions} pager={versionsPager} />
            </section>
          </>
        )}
      </LoadedView>
    </>
  );
}

import { useState } from 'react';
import { useApi } from '../api/use-api';
import { ExpiryBadge } from '../components/expiry-badge';
import { LoadedView } from '../components/loaded-view';
import { RowsTable } from '../components/paged-table';
import { UsageOverTime } from '../components/usage-over-time';
import { formatTime, LIMIT_LABELS, limitStatus, usageText } from '../licensing/consumption';
import { EXPIRY_HORIZON_DAYS, expiryInstantText, expiryStatus } from '../licensing/expiry';
import { allConfigurations, recentFailures } from '../licensing/read-all';
import { hrefOf } from '../router';
import { resourcesByPlatform } from '../inventory/resources-by-platform';
import { accountUsage, meteredConfiguration } from '../metrics/usage-series';
import { useSession } from '../session/session';
import { PlatformsSection } from './platforms-section';

const RECENT_FAILURES = 10;

/**
 * The guide's dashboard: configurations near or over their limits, consumption, recent failures, and
 * resources by platform (the inventory, another service: it loads, fails or is absent on its own).
 */
export function DashboardPage() {
  const { licenseManager, monitoring } = useSession();
  // Refresh reads the usage over time again too, even when the configurations are the same.
  const [refreshes, setRefreshes] = useState(0);
  const [platforms, reloadPlatforms] = useApi(() => resourcesByPlatform(licenseManager), 'platforms');
  const [state, reload] = useApi(async () => {
    const configurations = await allConfigurations(licenseManager);
    const failures = await recentFailures(licenseManager, configurations, RECENT_FAILURES);
    return { configurations, failures };
  }, 'dashboard');

  return (
    <>
      <div className="page-heading">
        <h1>Dashboard</h1>
        <button
          type="button"
          onClick={() => {
            reload();
            reloadPlatforms();
            setRefreshes((n) => n + 1);
          }}
        >
          Refresh
        </button>
      </div>
      <LoadedView state={state} what="license configurations">
        {({ configurations, failures }) => {
          const limited = configurations.filter((c) => ['over', 'at', 'near'].includes(limitStatus(c)));
          const now = new Date();
          // Soonest first: the guide notifies from 120 days before an expiry.
          const expiring = configurations
            .filter((c) => ['expired', 'expiring'].includes(expiryStatus(c.LicenseExpiry, now)))
            .sort((a, b) => Number(a.LicenseExpiry) - Number(b.LicenseExpiry));
          const consumed = configurations.reduce((sum, c) => sum + Number(c.ConsumedLicenses ?? 0), 0);
          return (
            <>
              <section aria-labelledby="summary-heading">
                <h2 id="summary-heading">Self-managed licenses</h2>
                <dl className="figures">
                  <div>
                    <dt>License configurations</dt>
                    <dd>{configurations.length}</dd>
                  </div>
                  <div>
                    <dt>Licenses consumed</dt>
                    <dd>{consumed}</dd>
                  </div>
                  <div>
                    <dt>Near or over their limits</dt>
                    <dd>{limited.length}</dd>
                  </div>
                  <div>
                    <dt>Expired or expiring</dt>
                    <dd>{expiring.length}</dd>
                  </div>
                </dl>
              </section>
              {configurations.length > 0 && (
                <UsageOverTime
                  heading="Usage over time"
                  title="Licenses consumed over time, all self-managed licenses"
                  dependsOn={`${refreshes}|${configurations.map((c) => c.LicenseConfigurationArn).join()}`}
                  read={(range, now) => accountUsage(monitoring, configurations.map(meteredConfiguration), range, now)}
                />
              )}
              <section aria-labelledby="limits-heading">
                <h2 id="limits-heading">Near or over their limits</h2>
                {limited.length === 0 ? (
                  <p>No license configuration is near its limit.</p>
                ) : (
                  <RowsTable
                    label="Configurations by limit status"
                    rows={limited}
                    rowKey={(c) => c.LicenseConfigurationArn!}
                    columns={[
                      {
                        header: 'Name',
                        cell: (c) => <a href={hrefOf.license(c.LicenseConfigurationArn!)}>{c.Name}</a>,
                      },
                      { header: 'Consumed', cell: usageText },
                      { header: 'Limit', cell: (c) => (c.LicenseCountHardLimit ? 'Hard' : 'Soft') },
                      {
                        header: 'Status',
                        cell: (c) => <span className={`badge ${limitStatus(c)}`}>{LIMIT_LABELS[limitStatus(c)]}</span>,
                      },
                    ]}
                  />
                )}
              </section>
              <section aria-labelledby="expiry-heading">
                <h2 id="expiry-heading">Expired or expiring</h2>
                {expiring.length === 0 ? (
                  <p>No license configuration has expired or expires within {EXPIRY_HORIZON_DAYS} days.</p>
                ) : (
                  <RowsTable
                    label="Configurations by expiry"
                    rows={expiring}
                    rowKey={(c) => c.LicenseConfigurationArn!}
                    columns={[
                      {
                        header: 'Name',
                        cell: (c) => <a href={hrefOf.license(c.LicenseConfigurationArn!)}>{c.Name}</a>,
                      },
                      { header: 'Expiry date', cell: (c) => expiryInstantText(c.LicenseExpiry!) },
                      { header: 'Status', cell: (c) => <ExpiryBadge expiry={c.LicenseExpiry} now={now} /> },
                    ]}
                  />
                )}
              </section>
              <section aria-labelledby="failures-heading">
                <h2 id="failures-heading">Recent failures</h2>
                {failures.length === 0 ? (
                  <p>No license operation has failed.</p>
                ) : (
                  <RowsTable
                    label="Failure list"
                    rows={failures}
                    rowKey={(f) => `${f.ResourceArn}-${f.FailureTime}-${f.OperationName}-${f.configurationName}`}
                    columns={[
                      { header: 'Time', cell: (f) => formatTime(f.FailureTime) },
                      { header: 'License configuration', cell: (f) => f.configurationName },
                      { header: 'Operation', cell: (f) => f.OperationName },
                      { header: 'Resource', className: 'arn', cell: (f) => f.ResourceArn },
                      { header: 'Reason', cell: (f) => f.ErrorMessage },
                    ]}
                  />
                )}
              </section>
            </>
          );
        }}
      </LoadedView>
      <PlatformsSection state={platforms} />
    </>
  );
}

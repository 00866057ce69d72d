import { useState } from 'react';
import { useApi } from '../api/use-api';
import { ExpiryBadge } from '../components/expiry-badge';
import { LoadedView } from '../components/loaded-view';
import { TableScroll } from '../components/table-scroll';
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
                  <TableScroll label="Configurations by limit status">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Name</th>
                          <th scope="col">Consumed</th>
                          <th scope="col">Limit</th>
                          <th scope="col">Status</th>
                        </tr>
                      </thead>
                      <tbody>
                        {limited.map((c) => (
                          <tr key={c.LicenseConfigurationArn}>
                            <td>
                              <a href={hrefOf.license(c.LicenseConfigurationArn!)}>{c.Name}</a>
                            </td>
                            <td>{usageText(c)}</td>
                            <td>{c.LicenseCountHardLimit ? 'Hard' : 'Soft'}</td>
                            <td>
                              <span className={`badge ${limitStatus(c)}`}>{LIMIT_LABELS[limitStatus(c)]}</span>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                )}
              </section>
              <section aria-labelledby="expiry-heading">
                <h2 id="expiry-heading">Expired or expiring</h2>
                {expiring.length === 0 ? (
                  <p>No license configuration has expired or expires within {EXPIRY_HORIZON_DAYS} days.</p>
                ) : (
                  <TableScroll label="Configurations by expiry">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Name</th>
                          <th scope="col">Expiry date</th>
                          <th scope="col">Status</th>
                        </tr>
                      </thead>
                      <tbody>
                        {expiring.map((c) => (
                          <tr key={c.LicenseConfigurationArn}>
                            <td>
                              <a href={hrefOf.license(c.LicenseConfigurationArn!)}>{c.Name}</a>
                            </td>
                            <td>{expiryInstantText(c.LicenseExpiry!)}</td>
                            <td>
                              <ExpiryBadge expiry={c.LicenseExpiry} now={now} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                )}
              </section>
              <section aria-labelledby="failures-heading">
                <h2 id="failures-heading">Recent failures</h2>
                {failures.length === 0 ? (
                  <p>No license operation has failed.</p>
                ) : (
                  <TableScroll label="Failure list">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">Time</th>
                          <th scope="col">License configuration</th>
                          <th scope="col">Operation</th>
                          <th scope="col">Resource</th>
                          <th scope="col">Reason</th>
                        </tr>
                      </thead>
                      <tbody>
                        {failures.map((f, index) => (
                          <tr key={`${f.ResourceArn}-${f.FailureTime}-${index}`}>
                            <td>{formatTime(f.FailureTime)}</td>
                            <td>{f.configurationName}</td>
                            <td>{f.OperationName}</td>
                            <td className="arn">{f.ResourceArn}</td>
                            <td>{f.ErrorMessage}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
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

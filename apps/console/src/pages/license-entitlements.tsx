import { useEffect, useRef, useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import type { Loaded } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { TableScroll } from '../components/table-scroll';
import { UsageOverTime } from '../components/usage-over-time';
import { usageBars, usageText, type UsageBar } from '../grants/entitlement-usage';
import { entitlementUsage } from '../metrics/usage-series';
import { useRoute } from '../router';
import { useSession } from '../session/session';

/**
 * A licence's entitlements, what of each is in use now (GetLicenseUsage) as a bar chart, and over time
 * (reporting's entitlement usage metrics, as far as they concern this account).
 */
export function LicenseEntitlements({
  entitlements,
  usage,
}: {
  entitlements: LicenseManager.Entitlement[];
  usage: Loaded<LicenseManager.GetLicenseUsageResponse>;
}) {
  return (
    <>
      <TableScroll label="Entitlement list">
        <table>
          <caption className="visually-hidden">Entitlements</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Unit</th>
              <th scope="col">Maximum or value</th>
              <th scope="col">Check-in</th>
              <th scope="col">Overage</th>
            </tr>
          </thead>
          <tbody>
            {entitlements.map((e) => (
              <tr key={e.Name}>
                <td>{e.Name}</td>
                <td>{e.Unit}</td>
                <td>{e.MaxCount ?? e.Value ?? 'Unlimited'}</td>
                <td>{e.AllowCheckIn ? 'Allowed' : 'Not allowed'}</td>
                <td>{e.Overage ? 'Allowed' : 'Not allowed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h3 id="usage-heading">Usage</h3>
      <LoadedView state={usage} what="the license usage">
        {(answer) => {
          const bars = usageBars(answer.LicenseUsage?.EntitlementUsages ?? []);
          return bars.length === 0 ? <p>No usage recorded.</p> : <UsageChart bars={bars} />;
        }}
      </LoadedView>
      <EntitlementUsageOverTime entitlements={entitlements} usage={usage} />
    </>
  );
}

/** One bar per entitlement: in use of its maximum (drawn in SVG attributes: the page's CSP allows no inline style). */
function UsageChart({ bars }: { bars: UsageBar[] }) {
  return (
    <ul className="usage-chart" aria-labelledby="usage-heading">
      {bars.map((bar) => (
        <li key={bar.name}>
          <span data-testid="usage">
            {bar.name}: {usageText(bar)}
            {bar.over && ' (over the maximum)'}
          </span>
          <svg className="usage-bar" width="100%" height="14" aria-hidden="true">
            <rect className="usage-track" width="100%" height="14" rx="3" />
            {bar.fraction !== undefined && (
              <rect
                className={bar.over ? 'usage-fill over' : 'usage-fill'}
                width={`${bar.fraction * 100}%`}
                height="14"
                rx="3"
              />
            )}
          </svg>
        </li>
      ))}
    </ul>
  );
}

/**
 * The licence's entitlements in use over time. The licence is the page's (granted or issued licence):
 * reporting counts the entitlements with a unit, and each account sees its own share of the usage.
 */
function EntitlementUsageOverTime({
  entitlements,
  usage,
}: {
  entitlements: LicenseManager.Entitlement[];
  usage: Loaded<LicenseManager.GetLicenseUsageResponse>;
}) {
  const { monitoring } = useSession();
  const route = useRoute();
  // A new answer of GetLicenseUsage after the first (the page's Refresh) reads the chart again too.
  const answer = usage.status === 'loaded' ? usage.data : undefined;
  const lastAnswer = useRef(answer);
  const [usageReads, setUsageReads] = useState(0);
  useEffect(() => {
    if (answer === undefined) return;
    if (lastAnswer.current !== undefined && answer !== lastAnswer.current) setUsageReads((n) => n + 1);
    lastAnswer.current = answer;
  }, [answer]);
  const counted = entitlements.filter((e) => e.Unit !== 'None').map((e) => e.Name);
  if (!('arn' in route) || counted.length === 0) return null;
  return (
    <UsageOverTime
      heading="Usage over time"
      level={3}
      title="Entitlements in use over time"
      dependsOn={`${route.arn}|${counted.join()}|${usageReads}`}
      read={(range, now) => entitlementUsage(monitoring, route.arn, counted, range, now)}
    />
  );
}

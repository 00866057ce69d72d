import { useState } from 'react';
import { useApi } from '../api/use-api';
import { AssociateResource } from '../components/associate-resource';
import { LicenseActions } from '../components/license-actions';
import { LoadedView } from '../components/loaded-view';
import { OrganizationSharing } from '../components/organization-sharing';
import { usePager } from '../components/pager';
import { UsageOverTime } from '../components/usage-over-time';
import { daysLeftText, expiryInstantText } from '../licensing/expiry';
import { LIMIT_LABELS, limitStatus, usageText } from '../licensing/consumption';
import { countingTypeLabel, parseRuleText } from '../licensing/license-rules';
import { productText } from '../licensing/product-information';
import { configurationUsage, meteredConfiguration } from '../metrics/usage-series';
import { hrefOf } from '../router';
import { useSession } from '../session/session';
import { LicenseAssociations } from './license-associations';
import { LicenseUsage } from './license-usage';

const PAGE_SIZE = 10;

/**
 * One self-managed license: its details and rules, consumption by resource type, the resources that
 * consume it, and its associations (with associate and disassociate), each list a page at a time.
 */
export function LicenseDetailPage({ arn }: { arn: string }) {
  const { licenseManager, monitoring } = useSession();
  // Refresh reads the usage over time again too.
  const [refreshes, setRefreshes] = useState(0);
  const usagePager = usePager();
  const associationsPager = usePager();
  const [state, reloadConfiguration] = useApi(async () => {
    const [configuration, tags] = await Promise.all([
      licenseManager.call('GetLicenseConfiguration', { LicenseConfigurationArn: arn }),
      licenseManager.call('ListTagsForResource', { ResourceArn: arn }),
    ]);
    return { configuration, tags };
  }, arn);
  const [usage, reloadUsage] = useApi(
    () =>
      licenseManager.call('ListUsageForLicenseConfiguration', {
        LicenseConfigurationArn: arn,
        MaxResults: PAGE_SIZE,
        NextToken: usagePager.token,
      }),
    `${arn}|${usagePager.token}`,
  );
  const [associations, reloadAssociations] = useApi(
    () =>
      licenseManager.call('ListAssociationsForLicenseConfiguration', {
        LicenseConfigurationArn: arn,
        MaxResults: PAGE_SIZE,
        NextToken: associationsPager.token,
      }),
    `${arn}|${associationsPager.token}`,
  );
  const reload = () => {
    reloadConfiguration();
    reloadUsage();
    reloadAssociations();
    setRefreshes((n) => n + 1);
  };

  return (
    <>
      <p className="breadcrumb">
        <a href={hrefOf.licenses()}>Self-managed licenses</a> / Details
      </p>
      <LoadedView state={state} what="the license configuration">
        {({ configuration: c, tags }) => (
          <>
            <div className="page-heading">
              <h1>{c.Name}</h1>
              <button type="button" onClick={reload}>
                Refresh
              </button>
            </div>
            <LicenseActions client={licenseManager} configuration={c} onChanged={reload} />
            <section aria-labelledby="details-heading">
              <h2 id="details-heading">Configuration details</h2>
              <dl className="details">
                <dt>ARN</dt>
                <dd className="arn">{c.LicenseConfigurationArn}</dd>
                <dt>Description</dt>
                <dd>{c.Description || '—'}</dd>
                <dt>License type</dt>
                <dd>{countingTypeLabel(c.LicenseCountingType)}</dd>
                <dt>Consumed</dt>
                <dd data-testid="consumed">
                  {usageText(c)} ({LIMIT_LABELS[limitStatus(c)].toLowerCase()})
                </dd>
                <dt>Limit</dt>
                <dd>{c.LicenseCountHardLimit ? 'Hard limit: resources over it are refused' : 'Soft limit'}</dd>
                <dt>Status</dt>
                <dd>{c.Status}</dd>
                <dt>Expiry date</dt>
                <dd data-testid="expiry">
                  {c.LicenseExpiry === undefined
                    ? 'None'
                    : `${expiryInstantText(c.LicenseExpiry)} (${daysLeftText(c.LicenseExpiry, new Date())})`}
                </dd>
                <dt>Rules</dt>
                <dd>
                  {(c.LicenseRules ?? []).length === 0 ? (
                    'None'
                  ) : (
                    <ul className="plain">
                      {c.LicenseRules!.map((text) => {
                        const rule = parseRuleText(text);
                        return (
                          <li key={text}>
                            {rule.label}: {rule.value}
                          </li>
                        );
                      })}
                    </ul>
                  )}
                </dd>
                <dt>Automated discovery rules</dt>
                <dd>
                  {(c.ProductInformationList ?? []).length === 0 ? (
                    'None'
                  ) : (
                    <>
                      <ul className="plain">
                        {c.ProductInformationList!.map((product, index) => (
                          <li key={index}>{productText(product)}</li>
                        ))}
                      </ul>
                      <p className="hint">
                        {c.DisassociateWhenNotFound
                          ? 'Stops tracking instances when the software is uninstalled.'
                          : 'Keeps tracking instances after the software is uninstalled.'}
                      </p>
                    </>
                  )}
                </dd>
                <dt>Tags</dt>
                <dd>{(tags.Tags ?? []).map((tag) => `${tag.Key}=${tag.Value ?? ''}`).join(', ') || 'None'}</dd>
              </dl>
            </section>
            <section aria-labelledby="consumption-heading">
              <h2 id="consumption-heading">Consumption</h2>
              {(c.ConsumedLicenseSummaryList ?? []).length === 0 ? (
                <p>No licenses consumed.</p>
              ) : (
                <ul className="plain">
                  {c.ConsumedLicenseSummaryList!.map((summary) => (
                    <li key={summary.ResourceType}>
                      {summary.ResourceType}: {summary.ConsumedLicenses}
                    </li>
                  ))}
                </ul>
              )}
              <LicenseUsage state={usage} pager={usagePager} />
            </section>
            <UsageOverTime
              heading="Usage over time"
              title={`Licenses consumed over time, ${c.Name}`}
              dependsOn={`${arn}|${refreshes}`}
              read={(range, now) => configurationUsage(monitoring, meteredConfiguration(c), range, now)}
            />
            <section aria-labelledby="sharing-heading">
              <h2 id="sharing-heading">Sharing</h2>
              <OrganizationSharing ownerAccountId={c.OwnerAccountId} />
            </section>
            <section aria-labelledby="associations-heading">
              <h2 id="associations-heading">Associated resources</h2>
              <LicenseAssociations
                client={licenseManager}
                configurationArn={arn}
                state={associations}
                pager={associationsPager}
                onChanged={reload}
              />
              <AssociateResource client={licenseManager} configurationArn={arn} onAssociated={reload} />
            </section>
          </>
        )}
      </LoadedView>
    </>
  );
}

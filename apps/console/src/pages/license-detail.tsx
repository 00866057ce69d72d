import { useState } from 'react';
import { useApi } from '../api/use-api';
import { AssociateResource } from '../components/associate-resource';
import { ErrorMessage } from '../components/error-message';
import { LoadedView } from '../components/loaded-view';
import { TableScroll } from '../components/table-scroll';
import { formatTime, LIMIT_LABELS, limitStatus, usageText } from '../licensing/consumption';
import { countingTypeLabel, parseRuleText } from '../licensing/license-rules';
import { hrefOf } from '../router';
import { useSession } from '../session/session';

/**
 * One self-managed license: its details and rules, consumption by resource type, the resources that
 * consume it, and its associations (with associate and disassociate).
 */
export function LicenseDetailPage({ arn }: { arn: string }) {
  const { licenseManager } = useSession();
  const [state, reload] = useApi(async () => {
    const [configuration, usage, associations, tags] = await Promise.all([
      licenseManager.call('GetLicenseConfiguration', { LicenseConfigurationArn: arn }),
      licenseManager.call('ListUsageForLicenseConfiguration', { LicenseConfigurationArn: arn, MaxResults: 100 }),
      licenseManager.call('ListAssociationsForLicenseConfiguration', { LicenseConfigurationArn: arn, MaxResults: 100 }),
      licenseManager.call('ListTagsForResource', { ResourceArn: arn }),
    ]);
    return { configuration, usage, associations, tags };
  }, arn);
  const [disassociateError, setDisassociateError] = useState<{ resourceArn: string; error: unknown } | null>(null);

  const disassociate = async (resourceArn: string) => {
    setDisassociateError(null);
    try {
      await licenseManager.call('UpdateLicenseSpecificationsForResource', {
        ResourceArn: resourceArn,
        RemoveLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      });
      reload();
    } catch (error) {
      setDisassociateError({ resourceArn, error });
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <a href={hrefOf.licenses()}>Self-managed licenses</a> / Details
      </p>
      <LoadedView state={state} what="the license configuration">
        {({ configuration: c, usage, associations, tags }) => (
          <>
            <div className="page-heading">
              <h1>{c.Name}</h1>
              <button type="button" onClick={reload}>
                Refresh
              </button>
            </div>
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
              {(usage.LicenseConfigurationUsageList ?? []).length > 0 && (
                <TableScroll label="Resources consuming licenses">
                  <table>
                    <caption>Resources consuming licenses</caption>
                    <thead>
                      <tr>
                        <th scope="col">Resource</th>
                        <th scope="col">Type</th>
                        <th scope="col">Status</th>
                        <th scope="col">Licenses</th>
                      </tr>
                    </thead>
                    <tbody>
                      {usage.LicenseConfigurationUsageList!.map((u) => (
                        <tr key={u.ResourceArn}>
                          <td className="arn">{u.ResourceArn}</td>
                          <td>{u.ResourceType}</td>
                          <td>{u.ResourceStatus}</td>
                          <td>{u.ConsumedLicenses}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </section>
            <section aria-labelledby="associations-heading">
              <h2 id="associations-heading">Associated resources</h2>
              {(associations.LicenseConfigurationAssociations ?? []).length === 0 ? (
                <p>No resource is associated.</p>
              ) : (
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
                      {associations.LicenseConfigurationAssociations!.map((a) => (
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
                            {disassociateError && disassociateError.resourceArn === a.ResourceArn && (
                              <ErrorMessage error={disassociateError.error} />
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
              <AssociateResource client={licenseManager} configurationArn={arn} onAssociated={reload} />
            </section>
          </>
        )}
      </LoadedView>
    </>
  );
}

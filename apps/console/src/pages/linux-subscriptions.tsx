import { useApi } from '../api/use-api';
import { LoadedView } from '../components/loaded-view';
import { PagedTable } from '../components/paged-table';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/**
 * Linux subscriptions (license-manager-linux-subscriptions): whether discovery is on, the instances
 * with their subscription and dual-subscription flag, the subscriptions with their instance counts,
 * and the registered subscription providers; each list a page at a time. A deployment without the
 * service says so in each section.
 */
export function LinuxSubscriptionsPage() {
  const { linuxSubscriptions: client } = useSession();
  const [settings] = useApi(() => client.call('GetServiceSettings', {}), 'linux-settings');
  return (
    <>
      <h1>Linux subscriptions</h1>
      <section aria-labelledby="linux-settings-heading">
        <h2 id="linux-settings-heading">Discovery</h2>
        <LoadedView state={settings} what="the Linux subscriptions settings">
          {(s) => (
            <dl className="details">
              <dt>Linux subscriptions discovery</dt>
              <dd>{s.LinuxSubscriptionsDiscovery ?? '—'}</dd>
              <dt>Status</dt>
              <dd>{s.Status ?? '—'}</dd>
              <dt>Home Regions</dt>
              <dd>{(s.HomeRegions ?? []).join(', ') || '—'}</dd>
              <dt>Regions discovered</dt>
              <dd>{(s.LinuxSubscriptionsDiscoverySettings?.SourceRegions ?? []).join(', ') || '—'}</dd>
              <dt>Across the organization</dt>
              <dd>{s.LinuxSubscriptionsDiscoverySettings?.OrganizationIntegration ?? '—'}</dd>
            </dl>
          )}
        </LoadedView>
      </section>
      <section aria-labelledby="linux-instances-heading">
        <h2 id="linux-instances-heading">Instances</h2>
        <PagedTable
          what="the Linux instances"
          label="Linux instance list"
          empty="No Linux instance has been discovered."
          load={async (NextToken) => {
            const page = await client.call('ListLinuxSubscriptionInstances', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.Instances ?? [], nextToken: page.NextToken };
          }}
          rowKey={(i) => `${i.AccountID}|${i.Region}|${i.InstanceID}`}
          columns={[
            { header: 'Instance', cell: (i) => i.InstanceID },
            { header: 'Account', cell: (i) => i.AccountID },
            { header: 'Region', cell: (i) => i.Region },
            { header: 'Subscription', cell: (i) => i.SubscriptionName ?? '—' },
            { header: 'Dual subscription', cell: (i) => i.DualSubscription ?? '—' },
            { header: 'With a provider', cell: (i) => i.RegisteredWithSubscriptionProvider ?? '—' },
            { header: 'Status', cell: (i) => i.Status ?? '—' },
          ]}
        />
      </section>
      <section aria-labelledby="linux-subscriptions-heading">
        <h2 id="linux-subscriptions-heading">Subscriptions</h2>
        <PagedTable
          what="the Linux subscriptions"
          label="Linux subscription list"
          empty="No Linux subscription is in use."
          load={async (NextToken) => {
            const page = await client.call('ListLinuxSubscriptions', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.Subscriptions ?? [], nextToken: page.NextToken };
          }}
          rowKey={(s) => `${s.Name}|${s.Type}`}
          columns={[
            { header: 'Subscription', cell: (s) => s.Name },
            { header: 'Type', cell: (s) => s.Type },
            { header: 'Instances', cell: (s) => s.InstanceCount ?? 0 },
          ]}
        />
      </section>
      <section aria-labelledby="linux-providers-heading">
        <h2 id="linux-providers-heading">Subscription providers</h2>
        <PagedTable
          what="the subscription providers"
          label="Subscription provider list"
          empty="No subscription provider is registered."
          load={async (NextToken) => {
            const page = await client.call('ListRegisteredSubscriptionProviders', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.RegisteredSubscriptionProviders ?? [], nextToken: page.NextToken };
          }}
          rowKey={(p) => p.SubscriptionProviderArn ?? ''}
          columns={[
            { header: 'Source', cell: (p) => p.SubscriptionProviderSource },
            {
              header: 'Status',
              cell: (p) =>
                [p.SubscriptionProviderStatus, p.SubscriptionProviderStatusMessage].filter(Boolean).join(': '),
            },
            { header: 'Last data retrieved', cell: (p) => p.LastSuccessfulDataRetrievalTime ?? '—' },
            { header: 'Secret', cell: (p) => p.SecretArn },
          ]}
        />
      </section>
    </>
  );
}

import { useReducer } from 'react';
import { useApi } from '../api/use-api';
import { ActionForm, listOf, textOf } from '../components/action-form';
import { LoadedView } from '../components/loaded-view';
import { PagedTable } from '../components/paged-table';
import { RowAction } from '../components/row-action';
import { TextField } from '../components/text-field';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;

/**
 * Linux subscriptions (license-manager-linux-subscriptions): whether discovery is on, the instances
 * with their subscription and dual-subscription flag, the subscriptions with their instance counts,
 * and the registered subscription providers; each list a page at a time. Discovery's settings are
 * changed with UpdateServiceSettings (a change of Regions or organization once on needs AllowUpdate,
 * the form's confirmation box); Red Hat subscription providers are registered with their secret and
 * deregistered. A deployment without the service says so in each section.
 */
export function LinuxSubscriptionsPage() {
  const { linuxSubscriptions: client } = useSession();
  const [version, changed] = useReducer((n: number) => n + 1, 0);
  const [settings, reloadSettings] = useApi(() => client.call('GetServiceSettings', {}), 'linux-settings');
  return (
    <>
      <h1>Linux subscriptions</h1>
      <section aria-labelledby="linux-settings-heading">
        <h2 id="linux-settings-heading">Discovery</h2>
        <LoadedView state={settings} what="the Linux subscriptions settings">
          {(s) => (
            <>
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
              <ActionForm
                // Anew with the settings read back: a select keeps its first defaultValue otherwise.
                key={JSON.stringify([s.LinuxSubscriptionsDiscovery, s.LinuxSubscriptionsDiscoverySettings])}
                legend="Discovery settings"
                submitLabel="Update settings"
                submit={(form) =>
                  client.call('UpdateServiceSettings', {
                    LinuxSubscriptionsDiscovery: textOf(form, 'discovery') as 'Enabled' | 'Disabled',
                    LinuxSubscriptionsDiscoverySettings: {
                      SourceRegions: listOf(form, 'regions'),
                      OrganizationIntegration: form.get('organization') === 'on' ? 'Enabled' : 'Disabled',
                    },
                    AllowUpdate: form.get('allowUpdate') === 'on',
                  })
                }
                onDone={reloadSettings}
              >
                <div className="field">
                  <label htmlFor="linux-discovery">Linux subscriptions discovery</label>
                  <select
                    id="linux-discovery"
                    name="discovery"
                    defaultValue={s.LinuxSubscriptionsDiscovery ?? 'Enabled'}
                  >
                    <option>Enabled</option>
                    <option>Disabled</option>
                  </select>
                </div>
                <TextField
                  id="linux-regions"
                  name="regions"
                  label="Regions to discover (comma-separated)"
                  required
                  defaultValue={(s.LinuxSubscriptionsDiscoverySettings?.SourceRegions ?? []).join(', ')}
                />
                <div className="field checkbox">
                  <input
                    id="linux-organization"
                    type="checkbox"
                    name="organization"
                    defaultChecked={s.LinuxSubscriptionsDiscoverySettings?.OrganizationIntegration === 'Enabled'}
                  />
                  <label htmlFor="linux-organization">Discover across the organization</label>
                </div>
                <div className="field checkbox">
                  <input id="linux-allow-update" type="checkbox" name="allowUpdate" />
                  <label htmlFor="linux-allow-update">Allow changing settings already in effect</label>
                </div>
              </ActionForm>
            </>
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
          dependsOn={String(version)}
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
            {
              header: 'Actions',
              cell: (p) => (
                <RowAction
                  label="Deregister"
                  target={p.SubscriptionProviderArn ?? ''}
                  confirm="Its subscriptions are no longer retrieved."
                  run={() =>
                    client.call('DeregisterSubscriptionProvider', {
                      SubscriptionProviderArn: p.SubscriptionProviderArn!,
                    })
                  }
                  onDone={changed}
                />
              ),
            },
          ]}
        />
        <ActionForm
          legend="Register subscription provider"
          submitLabel="Register provider"
          submit={(form) =>
            client.call('RegisterSubscriptionProvider', {
              SubscriptionProviderSource: 'RedHat',
              SecretArn: textOf(form, 'secretArn'),
            })
          }
          onDone={changed}
        >
          <p className="hint">Red Hat Subscription Management, with its offline token in a Secrets Manager secret.</p>
          <TextField id="linux-provider-secret" name="secretArn" label="Secret ARN" required />
        </ActionForm>
      </section>
    </>
  );
}

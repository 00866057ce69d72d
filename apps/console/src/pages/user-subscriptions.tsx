import { useState } from 'react';
import type { UserSubscriptions } from '@lm/api-model';
import { PagedTable } from '../components/paged-table';
import { useSession } from '../session/session';

const PAGE_SIZE = 10;
type IdentityProvider = UserSubscriptions.IdentityProvider;

const directoryOf = (provider: IdentityProvider | undefined) =>
  provider?.ActiveDirectoryIdentityProvider?.DirectoryId ?? '—';

/**
 * User-based subscriptions (license-manager-user-subscriptions): the registered identity providers,
 * the users subscribed to a provider's product, the instances with their users, and the license server
 * endpoints; each list a page at a time. A deployment without the service says so in each section.
 */
export function UserSubscriptionsPage() {
  const { userSubscriptions: client } = useSession();
  const [provider, setProvider] = useState<UserSubscriptions.IdentityProviderSummary | null>(null);
  const [instance, setInstance] = useState<UserSubscriptions.InstanceSummary | null>(null);

  return (
    <>
      <h1>User-based subscriptions</h1>
      <section aria-labelledby="providers-heading">
        <h2 id="providers-heading">Identity providers</h2>
        <PagedTable
          what="the identity providers"
          label="Identity provider list"
          empty="No identity provider is registered."
          load={async (NextToken) => {
            const page = await client.call('ListIdentityProviders', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.IdentityProviderSummaries ?? [], nextToken: page.NextToken };
          }}
          rowKey={(p) => p.IdentityProviderArn ?? `${directoryOf(p.IdentityProvider)}|${p.Product}`}
          columns={[
            { header: 'Directory', cell: (p) => directoryOf(p.IdentityProvider) },
            { header: 'Product', cell: (p) => p.Product },
            { header: 'Status', cell: (p) => [p.Status, p.FailureMessage].filter(Boolean).join(': ') },
            {
              header: 'Users',
              cell: (p) => (
                <button type="button" onClick={() => setProvider(p)}>
                  Users of {p.Product} in {directoryOf(p.IdentityProvider)}
                </button>
              ),
            },
          ]}
        />
      </section>
      {provider && (
        <section aria-labelledby="product-users-heading">
          <h2 id="product-users-heading">
            Users subscribed to {provider.Product} in {directoryOf(provider.IdentityProvider)}
          </h2>
          <PagedTable
            what="the subscribed users"
            label="Subscribed user list"
            empty="No user is subscribed."
            dependsOn={`${provider.IdentityProviderArn}|${provider.Product}`}
            load={async (NextToken) => {
              const page = await client.call('ListProductSubscriptions', {
                IdentityProvider: provider.IdentityProvider,
                Product: provider.Product,
                MaxResults: PAGE_SIZE,
                NextToken,
              });
              return { rows: page.ProductUserSummaries ?? [], nextToken: page.NextToken };
            }}
            rowKey={(u) => `${u.Domain ?? ''}\\${u.Username}|${u.Product}`}
            columns={[
              { header: 'User', cell: (u) => (u.Domain ? `${u.Domain}\\${u.Username}` : u.Username) },
              { header: 'Status', cell: (u) => [u.Status, u.StatusMessage].filter(Boolean).join(': ') },
              { header: 'Subscribed since', cell: (u) => u.SubscriptionStartDate ?? '—' },
            ]}
          />
        </section>
      )}
      <section aria-labelledby="instances-heading">
        <h2 id="instances-heading">Instances</h2>
        <PagedTable
          what="the instances"
          label="Instance list"
          empty="No instance provides user-based subscriptions."
          load={async (NextToken) => {
            const page = await client.call('ListInstances', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.InstanceSummaries ?? [], nextToken: page.NextToken };
          }}
          rowKey={(i) => i.InstanceId}
          columns={[
            { header: 'Instance', cell: (i) => i.InstanceId },
            { header: 'Products', cell: (i) => i.Products.join(', ') },
            { header: 'Status', cell: (i) => [i.Status, i.StatusMessage].filter(Boolean).join(': ') },
            { header: 'Directory', cell: (i) => directoryOf(i.IdentityProvider) },
            {
              header: 'Users',
              cell: (i) =>
                i.IdentityProvider && (
                  <button type="button" onClick={() => setInstance(i)}>
                    Users of {i.InstanceId}
                  </button>
                ),
            },
          ]}
        />
      </section>
      {instance?.IdentityProvider && (
        <section aria-labelledby="instance-users-heading">
          <h2 id="instance-users-heading">Users associated with {instance.InstanceId}</h2>
          <PagedTable
            what="the associated users"
            label="Associated user list"
            empty="No user is associated with this instance."
            dependsOn={instance.InstanceId}
            load={async (NextToken) => {
              const page = await client.call('ListUserAssociations', {
                InstanceId: instance.InstanceId,
                IdentityProvider: instance.IdentityProvider!,
                MaxResults: PAGE_SIZE,
                NextToken,
              });
              return { rows: page.InstanceUserSummaries ?? [], nextToken: page.NextToken };
            }}
            rowKey={(u) => `${u.Domain ?? ''}\\${u.Username}`}
            columns={[
              { header: 'User', cell: (u) => (u.Domain ? `${u.Domain}\\${u.Username}` : u.Username) },
              { header: 'Status', cell: (u) => [u.Status, u.StatusMessage].filter(Boolean).join(': ') },
              { header: 'Associated since', cell: (u) => u.AssociationDate ?? '—' },
            ]}
          />
        </section>
      )}
      <section aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">License server endpoints</h2>
        <PagedTable
          what="the license server endpoints"
          label="License server endpoint list"
          empty="No license server endpoint."
          load={async (NextToken) => {
            const page = await client.call('ListLicenseServerEndpoints', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.LicenseServerEndpoints ?? [], nextToken: page.NextToken };
          }}
          rowKey={(e) => e.LicenseServerEndpointArn ?? e.LicenseServerEndpointId ?? ''}
          columns={[
            { header: 'Endpoint', cell: (e) => e.ServerEndpoint?.Endpoint ?? e.LicenseServerEndpointId },
            { header: 'Server type', cell: (e) => e.ServerType },
            {
              header: 'Status',
              cell: (e) => [e.LicenseServerEndpointProvisioningStatus, e.StatusMessage].filter(Boolean).join(': '),
            },
            {
              header: 'License servers',
              cell: (e) =>
                (e.LicenseServers ?? [])
                  .map((s) => `${s.Ipv4Address ?? s.Ipv6Address ?? '?'} (${s.HealthStatus ?? s.ProvisioningStatus})`)
                  .join(', ') || '—',
            },
          ]}
        />
      </section>
    </>
  );
}

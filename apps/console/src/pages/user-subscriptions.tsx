import { useReducer, useState } from 'react';
import type { UserSubscriptions } from '@lm/api-model';
import { useApi } from '../api/use-api';
import { ActionForm, textOf } from '../components/action-form';
import { PagedTable } from '../components/paged-table';
import { RowAction } from '../components/row-action';
import { TextField } from '../components/text-field';
import { useSession } from '../session/session';
import { IdentityProviderForm } from '../subscriptions/identity-provider-form';
import { IdentityProviderSettingsForm, settingsText } from '../subscriptions/identity-provider-settings';

const PAGE_SIZE = 10;
type IdentityProvider = UserSubscriptions.IdentityProvider;
type ProviderSummary = UserSubscriptions.IdentityProviderSummary;

const directoryOf = (provider: IdentityProvider | undefined) =>
  provider?.ActiveDirectoryIdentityProvider?.DirectoryId ?? '—';
/** A provider as the API names it in a subscription or association: its directory's ID. */
const byDirectory = (provider: IdentityProvider | undefined): IdentityProvider => ({
  ActiveDirectoryIdentityProvider: { DirectoryId: provider?.ActiveDirectoryIdentityProvider?.DirectoryId },
});
const userOf = (u: { Domain?: string; Username: string }) => (u.Domain ? `${u.Domain}\\${u.Username}` : u.Username);
const nameOf = (p: ProviderSummary) => `${p.Product} in ${directoryOf(p.IdentityProvider)}`;
const statusOf = (status: string | undefined, message: string | undefined) =>
  [status, message].filter(Boolean).join(': ') || '—';

/**
 * User-based subscriptions (license-manager-user-subscriptions): identity providers (register,
 * edit their VPC settings, deregister), the users subscribed to a provider's product (subscribe, unsubscribe), the instances
 * and their users (associate, disassociate), and the RDS SAL license server endpoints (create,
 * delete). Each list a page at a time; every change reads them again, and Refresh shows the steps
 * that settle after the answer (REGISTERING, SUBSCRIBING, ...). A deployment without the service
 * says so in each section.
 */
export function UserSubscriptionsPage() {
  const { userSubscriptions: client } = useSession();
  const [provider, setProvider] = useState<ProviderSummary | null>(null);
  const [editing, setEditing] = useState<ProviderSummary | null>(null);
  const [instance, setInstance] = useState<UserSubscriptions.InstanceSummary | null>(null);
  const [version, changed] = useReducer((n: number) => n + 1, 0);

  return (
    <>
      <div className="page-heading">
        <h1>User-based subscriptions</h1>
        <button type="button" onClick={changed}>
          Refresh
        </button>
      </div>
      <section aria-labelledby="providers-heading">
        <h2 id="providers-heading">Identity providers</h2>
        <PagedTable
          what="the identity providers"
          label="Identity provider list"
          empty="No identity provider is registered."
          dependsOn={String(version)}
          load={async (NextToken) => {
            const page = await client.call('ListIdentityProviders', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.IdentityProviderSummaries ?? [], nextToken: page.NextToken };
          }}
          rowKey={(p) => p.IdentityProviderArn ?? `${directoryOf(p.IdentityProvider)}|${p.Product}`}
          columns={[
            { header: 'Directory', cell: (p) => directoryOf(p.IdentityProvider) },
            { header: 'Product', cell: (p) => p.Product },
            { header: 'Status', cell: (p) => statusOf(p.Status, p.FailureMessage) },
            { header: 'Settings', cell: (p) => settingsText(p.Settings) },
            {
              header: 'Actions',
              cell: (p) => (
                <div className="row-actions">
                  <button type="button" onClick={() => setProvider(p)}>
                    Users of {nameOf(p)}
                  </button>
                  <button type="button" onClick={() => setEditing(p)}>
                    Edit settings of {nameOf(p)}
                  </button>
                  <RowAction
                    label="Deregister"
                    target={nameOf(p)}
                    confirm="Its users must be unsubscribed first. The directory stays registered for its other products."
                    run={() =>
                      client.call('DeregisterIdentityProvider', { IdentityProviderArn: p.IdentityProviderArn })
                    }
                    onDone={changed}
                  />
                </div>
              ),
            },
          ]}
        />
        {editing && (
          <IdentityProviderSettingsForm
            key={editing.IdentityProviderArn}
            provider={editing}
            name={nameOf(editing)}
            update={(request) => client.call('UpdateIdentityProviderSettings', request)}
            onDone={() => {
              setEditing(null);
              changed();
            }}
          />
        )}
        <IdentityProviderForm
          register={(request) => client.call('RegisterIdentityProvider', request)}
          onDone={changed}
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
            dependsOn={`${provider.IdentityProviderArn}|${provider.Product}|${version}`}
            load={async (NextToken) => {
              const page = await client.call('ListProductSubscriptions', {
                IdentityProvider: byDirectory(provider.IdentityProvider),
                Product: provider.Product,
                MaxResults: PAGE_SIZE,
                NextToken,
              });
              return { rows: page.ProductUserSummaries ?? [], nextToken: page.NextToken };
            }}
            rowKey={(u) => u.ProductUserArn ?? `${userOf(u)}|${u.Product}`}
            columns={[
              { header: 'User', cell: (u) => userOf(u) },
              { header: 'Status', cell: (u) => statusOf(u.Status, u.StatusMessage) },
              { header: 'Subscribed since', cell: (u) => u.SubscriptionStartDate ?? '—' },
              {
                header: 'Actions',
                cell: (u) =>
                  u.Status !== 'UNSUBSCRIBED' && (
                    <RowAction
                      label="Unsubscribe"
                      target={userOf(u)}
                      run={() => client.call('StopProductSubscription', { ProductUserArn: u.ProductUserArn })}
                      onDone={changed}
                    />
                  ),
              },
            ]}
          />
          <ActionForm
            legend={`Subscribe a user to ${provider.Product}`}
            submitLabel="Subscribe"
            submit={(form) =>
              client.call('StartProductSubscription', {
                Username: textOf(form, 'username'),
                IdentityProvider: byDirectory(provider.IdentityProvider),
                Product: provider.Product!,
              })
            }
            onDone={changed}
          >
            <TextField id="subscribe-user" name="username" label="User name" required />
          </ActionForm>
        </section>
      )}
      <section aria-labelledby="instances-heading">
        <h2 id="instances-heading">Instances</h2>
        <PagedTable
          what="the instances"
          label="Instance list"
          empty="No instance provides user-based subscriptions."
          dependsOn={String(version)}
          load={async (NextToken) => {
            const page = await client.call('ListInstances', { MaxResults: PAGE_SIZE, NextToken });
            return { rows: page.InstanceSummaries ?? [], nextToken: page.NextToken };
          }}
          rowKey={(i) => i.InstanceId}
          columns={[
            { header: 'Instance', cell: (i) => i.InstanceId },
            { header: 'Products', cell: (i) => i.Products.join(', ') },
            { header: 'Status', cell: (i) => statusOf(i.Status, i.StatusMessage) },
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
            dependsOn={`${instance.InstanceId}|${version}`}
            load={async (NextToken) => {
              const page = await client.call('ListUserAssociations', {
                InstanceId: instance.InstanceId,
                IdentityProvider: byDirectory(instance.IdentityProvider),
                MaxResults: PAGE_SIZE,
                NextToken,
              });
              return { rows: page.InstanceUserSummaries ?? [], nextToken: page.NextToken };
            }}
            rowKey={(u) => u.InstanceUserArn ?? userOf(u)}
            columns={[
              { header: 'User', cell: (u) => userOf(u) },
              { header: 'Status', cell: (u) => statusOf(u.Status, u.StatusMessage) },
              { header: 'Associated since', cell: (u) => u.AssociationDate ?? '—' },
              {
                header: 'Actions',
                cell: (u) =>
                  u.Status !== 'DISASSOCIATED' && (
                    <RowAction
                      label="Disassociate"
                      target={userOf(u)}
                      run={() => client.call('DisassociateUser', { InstanceUserArn: u.InstanceUserArn })}
                      onDone={changed}
                    />
                  ),
              },
            ]}
          />
          <ActionForm
            legend={`Associate a user with ${instance.InstanceId}`}
            submitLabel="Associate"
            submit={(form) =>
              client.call('AssociateUser', {
                Username: textOf(form, 'username'),
                InstanceId: instance.InstanceId,
                IdentityProvider: byDirectory(instance.IdentityProvider),
              })
            }
            onDone={changed}
          >
            <TextField id="associate-user" name="username" label="User name" required />
          </ActionForm>
        </section>
      )}
      <LicenseServerEndpoints version={version} changed={changed} />
    </>
  );
}

/**
 * The RDS SAL license server endpoints: each served by a provider registered for Remote Desktop
 * Services, with the credentials of its license servers in a secret; created and deleted here.
 */
function LicenseServerEndpoints({ version, changed }: { version: number; changed(): void }) {
  const { userSubscriptions: client } = useSession();
  const [rdsProviders] = useApi(
    () =>
      client.call('ListIdentityProviders', {
        MaxResults: 100,
        Filters: [{ Attribute: 'Product', Operation: 'eq', Value: 'REMOTE_DESKTOP_SERVICES' }],
      }),
    `rds|${version}`,
  );
  const choices = rdsProviders.status === 'loaded' ? (rdsProviders.data.IdentityProviderSummaries ?? []) : [];
  return (
    <section aria-labelledby="endpoints-heading">
      <h2 id="endpoints-heading">License server endpoints</h2>
      <PagedTable
        what="the license server endpoints"
        label="License server endpoint list"
        empty="No license server endpoint."
        dependsOn={String(version)}
        load={async (NextToken) => {
          const page = await client.call('ListLicenseServerEndpoints', { MaxResults: PAGE_SIZE, NextToken });
          return { rows: page.LicenseServerEndpoints ?? [], nextToken: page.NextToken };
        }}
        rowKey={(e) => e.LicenseServerEndpointArn ?? e.LicenseServerEndpointId ?? ''}
        columns={[
          { header: 'Endpoint', cell: (e) => e.ServerEndpoint?.Endpoint ?? e.LicenseServerEndpointId },
          { header: 'Server type', cell: (e) => e.ServerType },
          { header: 'Status', cell: (e) => statusOf(e.LicenseServerEndpointProvisioningStatus, e.StatusMessage) },
          {
            header: 'License servers',
            cell: (e) =>
              (e.LicenseServers ?? [])
                .map((s) => `${s.Ipv4Address ?? s.Ipv6Address ?? '?'} (${s.HealthStatus ?? s.ProvisioningStatus})`)
                .join(', ') || '—',
          },
          {
            header: 'Actions',
            cell: (e) =>
              e.LicenseServerEndpointProvisioningStatus !== 'DELETING' &&
              e.LicenseServerEndpointProvisioningStatus !== 'DELETED' && (
                <RowAction
                  label="Delete"
                  target={`endpoint ${e.LicenseServerEndpointId}`}
                  confirm="Its license servers are removed; users of RDS SAL can no longer reach them."
                  run={() =>
                    client.call('DeleteLicenseServerEndpoint', {
                      LicenseServerEndpointArn: e.LicenseServerEndpointArn!,
                      ServerType: 'RDS_SAL',
                    })
                  }
                  onDone={changed}
                />
              ),
          },
        ]}
      />
      {choices.length > 0 && (
        <ActionForm
          legend="Create license server endpoint"
          submitLabel="Create endpoint"
          submit={(form) =>
            client.call('CreateLicenseServerEndpoint', {
              IdentityProviderArn: textOf(form, 'provider'),
              LicenseServerSettings: {
                ServerType: 'RDS_SAL',
                ServerSettings: {
                  RdsSalSettings: {
                    RdsSalCredentialsProvider: {
                      SecretsManagerCredentialsProvider: { SecretId: textOf(form, 'secret') },
                    },
                  },
                },
              },
            })
          }
          onDone={changed}
        >
          <div className="field">
            <label htmlFor="endpoint-provider">Remote Desktop Services identity provider</label>
            <select id="endpoint-provider" name="provider">
              {choices.map((p) => (
                <option key={p.IdentityProviderArn} value={p.IdentityProviderArn}>
                  {directoryOf(p.IdentityProvider)} ({p.Status})
                </option>
              ))}
            </select>
          </div>
          <TextField id="endpoint-secret" name="secret" label="Secrets Manager secret with the credentials" required />
        </ActionForm>
      )}
    </section>
  );
}

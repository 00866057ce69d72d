import type { LinuxSubscriptions, UserSubscriptions } from '@lm/api-model';
import type { Credentials, Endpoint } from './credentials';
import { signedJsonPost, type Fetch } from './signed-post';

/**
 * A restJson API of License Manager as the AWS SDKs call it: `POST <the operation's path>` with the
 * input as JSON, signed for the API's own service name. `paths` are the model's request URIs of the
 * operations the console calls (all POST without URI parameters); the bundle carries no model.
 */
export class RestJsonClient<Operations extends { [O in keyof Operations]: { input: unknown; output: unknown } }> {
  constructor(
    private readonly service: string,
    private readonly paths: { [O in keyof Operations]?: string },
    private readonly credentials: Credentials,
    private readonly endpoint: Endpoint,
    private readonly fetchFn: Fetch = (url, init) => fetch(url, init),
  ) {}

  async call<O extends keyof Operations & string>(
    operation: O,
    input: Operations[O]['input'],
  ): Promise<Operations[O]['output']> {
    const path = this.paths[operation];
    if (!path) throw new Error(`The console has no path for ${this.service} ${operation}.`);
    const output = await signedJsonPost(
      { service: this.service, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) },
      this.credentials,
      this.endpoint,
      this.fetchFn,
    );
    return output as Operations[O]['output'];
  }
}

export type UserSubscriptionsClient = RestJsonClient<UserSubscriptions.Operations>;
export type LinuxSubscriptionsClient = RestJsonClient<LinuxSubscriptions.Operations>;

/** license-manager-user-subscriptions: what the user-based subscriptions page reads and changes. */
export const userSubscriptionsClient = (credentials: Credentials, endpoint: Endpoint, fetchFn?: Fetch) =>
  new RestJsonClient<UserSubscriptions.Operations>(
    'license-manager-user-subscriptions',
    {
      ListIdentityProviders: '/identity-provider/ListIdentityProviders',
      RegisterIdentityProvider: '/identity-provider/RegisterIdentityProvider',
      DeregisterIdentityProvider: '/identity-provider/DeregisterIdentityProvider',
      UpdateIdentityProviderSettings: '/identity-provider/UpdateIdentityProviderSettings',
      ListInstances: '/instance/ListInstances',
      ListLicenseServerEndpoints: '/license-server/ListLicenseServerEndpoints',
      CreateLicenseServerEndpoint: '/license-server/CreateLicenseServerEndpoint',
      DeleteLicenseServerEndpoint: '/license-server/DeleteLicenseServerEndpoint',
      ListProductSubscriptions: '/user/ListProductSubscriptions',
      StartProductSubscription: '/user/StartProductSubscription',
      StopProductSubscription: '/user/StopProductSubscription',
      ListUserAssociations: '/user/ListUserAssociations',
      AssociateUser: '/user/AssociateUser',
      DisassociateUser: '/user/DisassociateUser',
    },
    credentials,
    endpoint,
    fetchFn,
  );

/** license-manager-linux-subscriptions: what the Linux subscriptions page reads and changes. */
export const linuxSubscriptionsClient = (credentials: Credentials, endpoint: Endpoint, fetchFn?: Fetch) =>
  new RestJsonClient<LinuxSubscriptions.Operations>(
    'license-manager-linux-subscriptions',
    {
      GetServiceSettings: '/subscription/GetServiceSettings',
      UpdateServiceSettings: '/subscription/UpdateServiceSettings',
      RegisterSubscriptionProvider: '/subscription/RegisterSubscriptionProvider',
      DeregisterSubscriptionProvider: '/subscription/DeregisterSubscriptionProvider',
      ListLinuxSubscriptionInstances: '/subscription/ListLinuxSubscriptionInstances',
      ListLinuxSubscriptions: '/subscription/ListLinuxSubscriptions',
      ListRegisteredSubscriptionProviders: '/subscription/ListRegisteredSubscriptionProviders',
    },
    credentials,
    endpoint,
    fetchFn,
  );

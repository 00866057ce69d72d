import { eventSubject, operationSubject } from '@lm/messaging';
import { defineService, masterKeySettings } from '@lm/service-kit';
import { identityProvidersProjection } from './identity-providers/application/identity-provider.projection';
import { IdentityProviderSteps } from './identity-providers/application/identity-provider.steps';
import { IdentityProvidersModule, identityProvidersSettings } from './identity-providers/identity-providers.module';
import { instancesProjection } from './instances/application/instance.projection';
import { InventoryInstancesConsumer } from './instances/application/inventory-instances.consumer';
import { InstancesModule, instancesSettings } from './instances/instances.module';
import { licenseServerEndpointsProjection } from './license-server-endpoints/application/license-server-endpoint.projection';
import { LicenseServerReportEndpoint } from './license-server-endpoints/infra/license-server-report.endpoint';
import { LicenseServerEndpointsModule } from './license-server-endpoints/license-server-endpoints.module';
import { productSubscriptionsProjection } from './product-subscriptions/application/product-subscription.projection';
import { ProductSubscriptionSteps } from './product-subscriptions/application/product-subscription.steps';
import {
  ProductSubscriptionsModule,
  productSubscriptionsSettings,
} from './product-subscriptions/product-subscriptions.module';
import { secretsProjection } from './secrets/application/secret.projection';
import { SecretPurgeSweep } from './secrets/application/secret-purge.sweep';
import { SecretsModule, secretsSettings } from './secrets/secrets.module';
import { USER_SUBSCRIPTIONS_SCHEMA } from './shared/schema';
import { userAssociationQuotaGuard } from './user-associations/application/association-quota.guard';
import { userAssociationsProjection } from './user-associations/application/association.projection';
import { AssociationSteps } from './user-associations/application/association.steps';
import { UserAssociationsModule, userAssociationsSettings } from './user-associations/user-associations.module';
import { userSubscriptionsMigrations } from './user-subscriptions.migrations';

/**
 * The user-subscriptions service: user-based subscriptions (the license-manager-user-subscriptions
 * API) against the administrator's own directory, in slices: secrets (the Secrets Manager subset,
 * where directory credentials live, sealed with the master key), identity providers (directories
 * registered per product, reached over LDAP), product subscriptions (their users subscribed to
 * Visual Studio, Office, RDS SAL), instances (inventory instances in the directories' subnets,
 * followed from discovery's events), user associations (subscribed users on those instances,
 * 25 at most per user, by a guard) and license server endpoints (RDS SAL, provisioned by an
 * integrator that reports on lm.user-subscriptions.ReportLicenseServers). The API's operations no
 * slice handles yet answer 501 NotImplementedException at the gateway. Its events go out on lm.events.user-subscriptions.*.
 */
export const UserSubscriptionsService = defineService({
  name: 'user-subscriptions',
  schema: USER_SUBSCRIPTIONS_SCHEMA,
  migrations: userSubscriptionsMigrations,
  config: {
    ...masterKeySettings,
    ...secretsSettings,
    ...identityProvidersSettings,
    ...productSubscriptionsSettings,
    ...instancesSettings,
    ...userAssociationsSettings,
  },
  projections: [
    secretsProjection,
    identityProvidersProjection,
    productSubscriptionsProjection,
    instancesProjection,
    userAssociationsProjection,
    licenseServerEndpointsProjection,
  ],
  guards: [userAssociationQuotaGuard],
  consumers: [
    {
      durableName: 'user-subscriptions-instances',
      subject: eventSubject('discovery', '>'),
      handler: InventoryInstancesConsumer,
      // One event at a time: each is decided on the instance's stream, and a termination disassociates users, outside the delivery's transaction.
      batchSize: 1,
    },
  ],
  schedules: [
    { task: SecretPurgeSweep, intervalMs: (config) => config.secretPurgeSweepMs },
    { task: IdentityProviderSteps, intervalMs: (config) => config.identityProviderSweepMs },
    { task: ProductSubscriptionSteps, intervalMs: (config) => config.productSubscriptionSweepMs },
    { task: AssociationSteps, intervalMs: (config) => config.userAssociationSweepMs },
  ],
  imports: [
    SecretsModule,
    IdentityProvidersModule,
    ProductSubscriptionsModule,
    InstancesModule,
    UserAssociationsModule,
    LicenseServerEndpointsModule,
  ],
  endpoints: [
    { subject: operationSubject('user-subscriptions', 'ReportLicenseServers'), handler: LicenseServerReportEndpoint },
  ],
});

import { Inject, Injectable } from '@nestjs/common';
import { handleMultiStreamCommand, stream, streamGroup, type EventStore } from '@lm/event-store';
import { resourceArn } from '@lm/contracts';
import { CLOCK, type Clock, DATABASE, EVENT_STORE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { parseLicenseConfigurationArn } from '../../configurations/domain/arn';
import { licenseConfigurationStream } from '../../configurations/domain/decide';
import type { LicenseConfigurationEvent } from '../../configurations/domain/events';
import { LicenseUsageRefused } from '../domain/consumption';
import { resourceSpecificationsStream, type ResourceSpecificationsEvent } from '../domain/resource-specifications';
import { decideResourceChange } from '../domain/resource-lifecycle';
import { consumesLicenses, isGone, type ResourceFacts } from '../../shared/resource';
import { licenseIncludedRulesExclude, matchesProductInformation } from '../../configurations/domain/product-matching';
import type { LicenseConfiguration } from '../../configurations/domain/license-configuration';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from '../../configurations/application/license-configuration.views';
import type { ProductInformationChanges } from '../../configurations/application/product-information-changes';
import type { ServiceSettingsViews } from '../../settings/application/service-settings.views';
import type { InventoryViews } from './inventory.views';
import { LicenseSpecificationStates } from './license-specification.states';
import { LicenseSpecificationCommands } from './license-specification.commands';

/** Who asks for the operations the service runs by itself, in ListFailures. */
const AUTOMATIC = 'license-manager';

/**
 * Follows the inventory: a resource that starts consumes again, one that stops releases, one that
 * goes loses its associations (after any licence affinity to its host), and an instance running
 * from an AMI with configurations is associated with them. Every decision is made on the
 * aggregates' state, so an inventory event applied twice changes nothing the second time.
 */
@Injectable()
export class ResourceLifecycle implements ProductInformationChanges {
  private readonly db: Kysely<LicenseConfigurationViews & ServiceSettingsViews & InventoryViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<LicenseConfigurationViews & ServiceSettingsViews & InventoryViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly specifications: LicenseSpecificationCommands,
    private readonly aggregates: LicenseSpecificationStates,
  ) {
    this.db = db.withSchema(LICENSING_SCHEMA);
  }

  async onResourceChanged(resource: ResourceFacts): Promise<void> {
    await this.settle(resource);
    if (isGone(resource)) return;
    if (resource.resourceType === 'EC2_INSTANCE' && resource.amiId && consumesLicenses(resource))
      await this.associateFromAmi(resource);
    for (const configuration of await this.discoveringConfigurations(resource))
      await this.discover(configuration, resource);
  }

  /**
   * A license type conversion of the resource succeeded (conversion's LicenseConversionSucceeded):
   * the resource leaves the configurations whose automated discovery rules of type License Included
   * all exclude what its license type now includes. Redelivered, it finds those associations gone.
   */
  async onLicenseTypeConverted(resourceArn: string, licenseIncluded: readonly string[]): Promise<void> {
    const rows = await this.db
      .selectFrom('license_configuration_associations')
      .innerJoin(
        'license_configurations',
        'license_configurations.id',
        'license_configuration_associations.configuration_id',
      )
      .innerJoin('resources', 'resources.resource_arn', 'license_configuration_associations.resource_arn')
      .select(['license_configurations.document', 'resources.facts'])
      .where('license_configuration_associations.resource_arn', '=', resourceArn)
      .execute();
    for (const { document: configuration, facts: resource } of rows) {
      if (!licenseIncludedRulesExclude(configuration.productInformationList, licenseIncluded)) continue;
      await this.specifications.apply({
        accountId: resource.accountId,
        usableOwners: new Set([resource.accountId, configuration.ownerAccountId]),
        resource,
        add: [],
        remove: [configuration.arn],
        automated: true,
      });
    }
  }

  /** A configuration's product information changed: look for its products in the inventory it covers. */
  async onProductInformationChanged(configurationArn: string): Promise<void> {
    const parts = parseLicenseConfigurationArn(configurationArn)!;
    const row = await this.db
      .selectFrom('license_configurations')
      .select('document')
      .where('id', '=', parts.id)
      .executeTakeFirst();
    if (!row || row.document.productInformationList.length === 0) return;
    const settings = await this.db
      .selectFrom('service_settings')
      .select(['cross_account_discovery', 'member_account_ids'])
      .where('account_id', '=', parts.accountId)
      .where('region', '=', parts.region)
      .executeTakeFirst();
    const accounts = settings?.cross_account_discovery
      ? [...new Set([parts.accountId, ...settings.member_account_ids])]
      : [parts.accountId];
    const resources = await this.db
      .selectFrom('resources')
      .select('facts')
      .where('account_id', 'in', accounts)
      .where('region', '=', parts.region)
      .where('active', '=', true)
      .execute();
    for (const { facts } of resources) if (!isGone(facts)) await this.discover(row.document, facts);
  }

  /**
   * Configurations whose automated discovery covers a resource: those of its account, and those
   * of a management account that runs cross-account discovery over it.
   */
  private async discoveringConfigurations(resource: ResourceFacts): Promise<LicenseConfiguration[]> {
    const rows = await this.db
      .selectFrom('license_configurations')
      .select('document')
      .where('region', '=', resource.region)
      .where(sql<boolean>`jsonb_array_length(document->'productInformationList') > 0`)
      .where((eb) =>
        eb.or([
          eb('owner_account_id', '=', resource.accountId),
          eb(
            'owner_account_id',
            'in',
            eb
              .selectFrom('service_settings')
              .select('account_id')
              .where('cross_account_discovery', '=', true)
              .where('region', '=', resource.region)
              .where(sql<boolean>`member_account_ids ? ${resource.accountId}`),
          ),
        ]),
      )
      .execute();
    return rows.map((row) => row.document);
  }

  /** Associates a resource running one of the configuration's products, as automated discovery. */
  private async discover(configuration: LicenseConfiguration, resource: ResourceFacts): Promise<void> {
    if (
      configuration.status !== 'AVAILABLE' ||
      !matchesProductInformation(configuration.productInformationList, resource)
    )
      return;
    const associated = await this.db
      .selectFrom('license_configuration_associations')
      .select('resource_arn')
      .where('configuration_id', '=', configuration.id)
      .where('resource_arn', '=', resource.resourceArn)
      .executeTakeFirst();
    if (associated) return;
    try {
      await this.specifications.apply({
        accountId: resource.accountId,
        usableOwners: new Set([resource.accountId, configuration.ownerAccountId]),
        resource,
        add: [{ licenseConfigurationArn: configuration.arn }],
        remove: [],
        automated: true,
      });
    } catch (error) {
      if (!(error instanceof LicenseUsageRefused)) throw error;
      await this.specifications.recordFailure(
        configuration.arn,
        resource,
        'AutomatedDiscovery',
        error.message,
        AUTOMATIC,
      );
    }
  }

  /** Ends the affinity holds that are due; run periodically (and by tests with a given clock). */
  async endDueAffinityHolds(): Promise<number> {
    const due = await this.db
      .selectFrom('license_configuration_associations')
      .innerJoin('resources', 'resources.resource_arn', 'license_configuration_associations.resource_arn')
      .select('resources.facts')
      .distinct()
      .where('affinity_hold_until', '<=', this.clock.now())
      .execute();
    for (const { facts } of due) await this.settle(facts);
    return due.length;
  }

  private async settle(resource: ResourceFacts): Promise<void> {
    const rows = await this.db
      .selectFrom('license_configuration_associations')
      .select('configuration_id')
      .where('resource_arn', '=', resource.resourceArn)
      .execute();
    if (rows.length === 0) return;
    const host = await this.specifications.hostOf(resource);
    const now = this.clock.now();
    await handleMultiStreamCommand(this.store, {
      streams: {
        specifications: stream(resourceSpecificationsStream(resource.resourceArn), this.aggregates.specifications),
        configurations: streamGroup(
          rows.map((row) => [row.configuration_id, licenseConfigurationStream(row.configuration_id)] as const),
          this.aggregates.configurations,
        ),
      },
      decide: (states) => {
        const configurations = new Map<string, LicenseConfigurationEvent[]>();
        const removed: string[] = [];
        for (const [id, state] of states.configurations) {
          if (state.status !== 'present') continue;
          const events = decideResourceChange(state.configuration, resource, host, now);
          if (events.some((event) => event.type === 'ResourceDisassociated')) removed.push(state.configuration.arn);
          configurations.set(id, events);
        }
        if (removed.length === 0) return { configurations };
        const updated: ResourceSpecificationsEvent = {
          type: 'LicenseSpecificationsUpdated',
          data: { resourceArn: resource.resourceArn, added: [], removed, updatedAt: now.toISOString() },
        };
        return { configurations, specifications: [updated] };
      },
    });
  }

  /**
   * An instance found running from an AMI with configurations consumes them. It runs already, so
   * each configuration is taken on its own; one that refuses it records the failure.
   */
  private async associateFromAmi(resource: ResourceFacts): Promise<void> {
    const ami = resourceArn('EC2_AMI', resource.region, resource.accountId, resource.amiId!);
    const associated = new Set(
      (
        await this.db
          .selectFrom('license_configuration_associations')
          .select('configuration_id')
          .where('resource_arn', '=', resource.resourceArn)
          .execute()
      ).map((row) => row.configuration_id),
    );
    const pending = (await this.specifications.configurationsOfAmi(ami, resource.accountId)).filter(
      (arn) => !associated.has(parseLicenseConfigurationArn(arn)!.id),
    );
    for (const arn of pending) {
      try {
        // The account associated the AMI with this configuration, so it may use it.
        const usableOwners = new Set([resource.accountId, parseLicenseConfigurationArn(arn)!.accountId]);
        await this.specifications.apply({
          accountId: resource.accountId,
          usableOwners,
          resource,
          add: [{ licenseConfigurationArn: arn }],
          remove: [],
        });
      } catch (error) {
        if (!(error instanceof LicenseUsageRefused)) throw error;
        await this.specifications.recordFailure(
          arn,
          resource,
          'UpdateLicenseSpecificationsForResource',
          error.message,
          AUTOMATIC,
        );
      }
    }
  }
}

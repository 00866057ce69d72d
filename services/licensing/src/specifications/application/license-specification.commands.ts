import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { CommandBatcher, stream, streamGroup, type EventStore } from '@lm/event-store';
import { resourceArn } from '@lm/contracts';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, DATABASE, EVENT_STORE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { parseLicenseConfigurationArn } from '../../configurations/domain/arn';
import { licenseConfigurationStream } from '../../configurations/domain/decide';
import { licenseConfigurationNotFound } from '../../configurations/domain/errors';
import { invalidParameterValue } from '@lm/contracts';
import type { LicenseConfigurationEvent } from '../../configurations/domain/events';
import { decideLicenseSpecifications, type UpdateLicenseSpecifications } from '../domain/decide-specifications';
import { resourceSpecificationsStream } from '../domain/resource-specifications';
import type { ResourceFacts } from '../../shared/resource';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from '../../configurations/application/license-configuration.views';
import { LicenseSpecificationStates } from './license-specification.states';
import { ConfigurationSharing } from '../../configurations/application/configuration-sharing.queries';
import { InventoryLookup } from './inventory-lookup';

/** UpdateLicenseSpecificationsForResource: associates resources with configurations and consumes their licences. */
@Injectable()
export class LicenseSpecificationCommands {
  private readonly db: Kysely<LicenseConfigurationViews>;
  private readonly logger = new Logger('LicenseSpecifications');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<LicenseConfigurationViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sharing: ConfigurationSharing,
    private readonly aggregates: LicenseSpecificationStates,
    private readonly batcher: CommandBatcher,
    private readonly inventory: InventoryLookup,
  ) {
    this.db = db.withSchema(LICENSING_SCHEMA);
  }

  async update(caller: Caller, input: LicenseManager.UpdateLicenseSpecificationsForResourceRequest): Promise<void> {
    const resource = await this.inventory.factsOf(caller, input.ResourceArn);
    if (!resource || resource.accountId !== caller.accountId || resource.region !== caller.region) {
      throw invalidParameterValue(`Resource ${input.ResourceArn} is not in the inventory.`);
    }
    await this.apply({
      accountId: caller.accountId,
      usableOwners: await this.sharing.usableOwners(caller),
      resource,
      add: (input.AddLicenseSpecifications ?? []).map((s) => ({
        licenseConfigurationArn: s.LicenseConfigurationArn,
        amiAssociationScope: s.AmiAssociationScope,
      })),
      remove: [...new Set((input.RemoveLicenseSpecifications ?? []).map((s) => s.LicenseConfigurationArn))],
    });
  }

  /**
   * Decides on the resource and every configuration named, and appends the outcome to all of
   * them at once (see decideLicenseSpecifications).
   */
  async apply(change: Omit<UpdateLicenseSpecifications, 'now' | 'host'>): Promise<void> {
    const { resource } = change;
    const host = await this.hostOf(resource);
    const streamOf = new Map<string, string>();
    for (const arn of [...change.add.map((s) => s.licenseConfigurationArn), ...change.remove]) {
      const parts = parseLicenseConfigurationArn(arn);
      if (!parts || parts.region !== resource.region || !change.usableOwners.has(parts.accountId))
        throw licenseConfigurationNotFound(arn);
      streamOf.set(arn, licenseConfigurationStream(parts.id));
    }
    const specificationsStream = resourceSpecificationsStream(resource.resourceArn);
    const now = this.clock.now();
    // Commands on the same configurations are batched: a hot configuration commits many at once.
    const batchKey = [...streamOf.values()].sort().join('|') || specificationsStream;
    await this.batcher.submit(batchKey, {
      streams: {
        specifications: stream(specificationsStream, this.aggregates.specifications),
        configurations: streamGroup(streamOf, this.aggregates.configurations),
      },
      decide: (states) =>
        decideLicenseSpecifications({ ...change, host, now }, states.specifications, states.configurations),
    });
  }

  /**
   * The configurations an account associated an AMI with (its own, or shared with it): instances
   * launched from the AMI consume them.
   */
  async configurationsOfAmi(amiArn: string, accountId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('license_configuration_associations')
      .innerJoin(
        'license_configurations',
        'license_configurations.id',
        'license_configuration_associations.configuration_id',
      )
      .select('license_configurations.document')
      .where('license_configuration_associations.resource_arn', '=', amiArn)
      .where('license_configuration_associations.resource_owner_id', '=', accountId)
      .execute();
    return rows.map((row) => row.document.arn);
  }

  /** Puts a refused operation on the configuration's record (ListFailures, and an event for integrators). */
  async recordFailure(
    configurationArn: string,
    resource: ResourceFacts,
    operationName: string,
    errorMessage: string,
    requestedBy: string,
  ): Promise<void> {
    const id = parseLicenseConfigurationArn(configurationArn)!.id;
    const failure: LicenseConfigurationEvent = {
      type: 'LicenseOperationFailed',
      data: {
        operationName,
        resourceArn: resource.resourceArn,
        resourceType: resource.resourceType,
        resourceOwnerId: resource.accountId,
        errorMessage,
        requestedBy,
        failedAt: this.clock.now().toISOString(),
      },
    };
    await this.store.append(licenseConfigurationStream(id), [failure], { expectedVersion: 'any' });
    this.logger.log(`${operationName} refused for ${resource.resourceArn} by ${configurationArn}`);
  }

  /** The Dedicated Host an instance runs on, when the inventory knows it (cores and sockets are counted there). */
  async hostOf(resource: ResourceFacts): Promise<ResourceFacts | undefined> {
    // The host is in the instance's account: the account's own inventory has it.
    return resource.hostId && resource.resourceType === 'EC2_INSTANCE'
      ? this.inventory.factsOf(resource, hostArn(resource))
      : undefined;
  }
}

const hostArn = (instance: ResourceFacts) =>
  resourceArn('EC2_HOST', instance.region, instance.accountId, instance.hostId!);

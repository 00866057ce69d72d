import { AwsError } from '@lm/contracts';
import { licenseConfigurationNotFound } from '../../configurations/domain/errors';
import { invalidParameterValue } from '@lm/contracts';
import type { LicenseConfigurationEvent } from '../../configurations/domain/events';
import type { Association } from '../../configurations/domain/configuration-associations';
import type {
  LicenseConfigurationAggregate,
  LicenseConfigurationState,
} from '../../configurations/domain/license-configuration';
import { consumesLicenses, isGone, type ResourceFacts } from '../../shared/resource';
import { consumptionOf, licenseUsageRefused } from './consumption';
import {
  MAX_SPECIFICATIONS_PER_RESOURCE,
  type LicenseSpecification,
  type ResourceSpecificationsEvent,
  type ResourceSpecificationsState,
} from './resource-specifications';

export interface UpdateLicenseSpecifications {
  accountId: string;
  /**
   * Accounts whose configurations this account may use: its own, and its organization's
   * management account when that shares its configurations with the organization.
   */
  usableOwners: ReadonlySet<string>;
  resource: ResourceFacts;
  /** The Dedicated Host the resource runs on, when the inventory knows it. */
  host?: ResourceFacts;
  add: LicenseSpecification[];
  remove: string[];
  /** Associations made by automated discovery rather than asked for. */
  automated?: boolean;
  now: Date;
}

export interface SpecificationsDecision {
  /** New events per license configuration ARN. */
  configurations: Map<string, LicenseConfigurationEvent[]>;
  specifications: ResourceSpecificationsEvent[];
}

function liveConfiguration(
  state: LicenseConfigurationState | undefined,
  arn: string,
  usableOwners: ReadonlySet<string>,
): LicenseConfigurationAggregate {
  if (state?.status !== 'present' || !usableOwners.has(state.configuration.ownerAccountId))
    throw licenseConfigurationNotFound(arn);
  return state.configuration;
}

/** The association of a resource with a configuration, or the reason it cannot be made. */
function associate(
  configuration: LicenseConfigurationAggregate,
  command: UpdateLicenseSpecifications,
  specification: LicenseSpecification,
): LicenseConfigurationEvent[] {
  // The guide: after deactivation, launches cannot be performed with the configuration.
  if (configuration.status !== 'AVAILABLE')
    throw licenseUsageRefused(configuration, 'it is disabled and takes no new associations.');
  if (configuration.licenseExpiry !== undefined && command.now.getTime() >= configuration.licenseExpiry * 1000) {
    throw licenseUsageRefused(configuration, 'its licences have expired.');
  }
  const { consumptionKey, units } = consumptionOf(configuration, command.resource, command.host);
  const association: Association = {
    resourceArn: command.resource.resourceArn,
    resourceType: command.resource.resourceType,
    resourceOwnerId: command.resource.accountId,
    associatedAt: command.now.toISOString(),
    amiAssociationScope: specification.amiAssociationScope,
    consumptionKey,
    consumedLicenses: consumesLicenses(command.resource) ? units : 0,
    ...(command.automated ? { automated: true } : {}),
  };
  const events: LicenseConfigurationEvent[] = [{ type: 'ResourceAssociated', data: association }];
  const limit = configuration.licenseCount;
  const total = configuration.associations.consumedLicensesWith(association);
  if (limit !== undefined && total > limit && total > configuration.associations.consumedLicenses) {
    if (configuration.hardLimit) {
      throw licenseUsageRefused(configuration, `${total} licences would be in use, and the hard limit is ${limit}.`);
    }
    events.push({
      type: 'LicenseCountExceeded',
      data: {
        resourceArn: association.resourceArn,
        consumedLicenses: total,
        licenseCount: limit,
        at: command.now.toISOString(),
      },
    });
  }
  return events;
}

/**
 * UpdateLicenseSpecificationsForResource as one decision over the resource and every
 * configuration it names: all of it is appended, or (on any refusal) none of it.
 */
export function decideLicenseSpecifications(
  command: UpdateLicenseSpecifications,
  specifications: ResourceSpecificationsState,
  configurations: ReadonlyMap<string, LicenseConfigurationState>,
): SpecificationsDecision {
  const { resource } = command;
  if (resource.accountId !== command.accountId)
    throw invalidParameterValue(`Resource ${resource.resourceArn} is not in the inventory.`);
  const current = specifications?.specifications ?? {};
  const adding = new Map<string, LicenseSpecification>();
  for (const specification of command.add) {
    if (!(specification.licenseConfigurationArn in current))
      adding.set(specification.licenseConfigurationArn, specification);
  }
  for (const arn of command.remove) {
    if (adding.has(arn) || command.add.some((s) => s.licenseConfigurationArn === arn)) {
      throw invalidParameterValue(`License configuration ${arn} is both added and removed.`);
    }
    if (!(arn in current))
      throw invalidParameterValue(`Resource ${resource.resourceArn} is not associated with ${arn}.`);
  }
  if (adding.size > 0 && isGone(resource)) {
    throw new AwsError(
      'InvalidResourceStateException',
      `Resource ${resource.resourceArn} is ${resource.active ? resource.state : 'inactive'}.`,
    );
  }
  const count = Object.keys(current).length + adding.size - command.remove.length;
  if (count > MAX_SPECIFICATIONS_PER_RESOURCE) {
    throw invalidParameterValue(
      `A resource can be associated with at most ${MAX_SPECIFICATIONS_PER_RESOURCE} license configurations.`,
    );
  }

  const decision: SpecificationsDecision = { configurations: new Map(), specifications: [] };
  for (const [arn, specification] of adding) {
    const configuration = liveConfiguration(configurations.get(arn), arn, command.usableOwners);
    decision.configurations.set(arn, associate(configuration, command, specification));
  }
  for (const arn of command.remove) {
    const state = configurations.get(arn);
    if (
      state?.status === 'present' &&
      state.configuration.associations.get(resource.resourceArn)?.automated &&
      !command.automated
    ) {
      throw invalidParameterValue(
        `${resource.resourceArn} is tracked by automated discovery of ${arn} and cannot be disassociated by hand.`,
      );
    }
    // A configuration deleted meanwhile has no association left to end.
    if (state?.status !== 'present' || !state.configuration.associations.has(resource.resourceArn)) continue;
    decision.configurations.set(arn, [
      {
        type: 'ResourceDisassociated',
        data: { resourceArn: resource.resourceArn, reason: 'requested', disassociatedAt: command.now.toISOString() },
      },
    ]);
  }
  if (adding.size > 0 || command.remove.length > 0) {
    decision.specifications.push({
      type: 'LicenseSpecificationsUpdated',
      data: {
        resourceArn: resource.resourceArn,
        added: [...adding.values()],
        removed: command.remove,
        updatedAt: command.now.toISOString(),
      },
    });
  }
  return decision;
}

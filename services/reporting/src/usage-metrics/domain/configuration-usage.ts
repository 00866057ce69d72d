import {
  assertCataloguedVersion,
  LICENSE_CONFIGURATION_EVENT_TYPES,
  type DomainEventMessage,
  type LicenseConfigurationEvent,
  type LicenseConfigurationEventMessage,
} from '@lm/contracts';
import { metricValue, USAGE_METRICS, type MetricSample } from './usage-metrics';

/**
 * What reporting knows of one license configuration, folded from licensing's events: enough to
 * say how many licences it offers and how many its associations consume. Per consumption key (a
 * resource, or the Dedicated Host its instances share) the largest consumption counts, once, as
 * licensing counts it.
 */
export interface ConfigurationUsage {
  arn: string;
  accountId: string;
  countingType: string;
  licenseCount?: number;
  /** By resource ARN: the key its licences are counted on and what it consumes now. */
  associations: Record<string, { consumptionKey: string; consumedLicenses: number }>;
  deleted: boolean;
}

const FOLLOWED = new Set<string>(LICENSE_CONFIGURATION_EVENT_TYPES);

/**
 * Whether a message is an event of a license configuration's stream in licensing (its versions are
 * contiguous over those types): followed in stream order, though only some change the usage. Its
 * data is the contract's, at the version this build reads (another version throws, to be redelivered).
 */
export function isConfigurationEvent(event: DomainEventMessage<object>): event is LicenseConfigurationEventMessage {
  if (event.service !== 'licensing' || !FOLLOWED.has(event.type)) return false;
  assertCataloguedVersion(event);
  return true;
}

/**
 * The usage after one of licensing's events; `undefined` when the event does not concern a
 * configuration reporting knows (its creation was never seen) or changes nothing it counts.
 */
export function evolveUsage(
  usage: ConfigurationUsage | undefined,
  event: LicenseConfigurationEvent,
): ConfigurationUsage | undefined {
  if (event.type === 'LicenseConfigurationCreated') {
    const { arn, ownerAccountId, countingType, licenseCount } = event.data;
    return {
      arn,
      accountId: ownerAccountId,
      countingType,
      licenseCount: metricValue(licenseCount),
      associations: {},
      deleted: false,
    };
  }
  if (!usage || usage.deleted) return undefined;
  switch (event.type) {
    case 'LicenseConfigurationUpdated': {
      const { changes } = event.data;
      if (!Object.hasOwn(changes, 'licenseCount')) return undefined;
      return { ...usage, licenseCount: metricValue(changes.licenseCount) };
    }
    case 'LicenseConfigurationDeleted':
      return { ...usage, deleted: true, associations: {} };
    case 'ResourceAssociated': {
      const { resourceArn, consumptionKey, consumedLicenses } = event.data;
      return withAssociation(usage, resourceArn, { consumptionKey, consumedLicenses });
    }
    case 'ResourceDisassociated': {
      const { [event.data.resourceArn]: _gone, ...rest } = usage.associations;
      return { ...usage, associations: rest };
    }
    case 'AssociationConsumptionChanged': {
      const current = usage.associations[event.data.resourceArn];
      if (!current) return undefined;
      return withAssociation(usage, event.data.resourceArn, {
        ...current,
        consumedLicenses: event.data.consumedLicenses,
      });
    }
    default:
      return undefined;
  }
}

function withAssociation(
  usage: ConfigurationUsage,
  resourceArn: string,
  association: ConfigurationUsage['associations'][string],
): ConfigurationUsage {
  return { ...usage, associations: { ...usage.associations, [resourceArn]: association } };
}

/** Licences in use: per consumption key the largest consumption, summed. */
export function consumedLicenses(usage: ConfigurationUsage): number {
  const byKey = new Map<string, number>();
  for (const { consumptionKey, consumedLicenses } of Object.values(usage.associations)) {
    byKey.set(consumptionKey, Math.max(byKey.get(consumptionKey) ?? 0, consumedLicenses));
  }
  return [...byKey.values()].reduce((sum, value) => sum + value, 0);
}

/**
 * The guide's three gauges of a live configuration: its count and the percentage exist only
 * when it has a license count (a configuration without one has no limit to be a share of).
 */
export function usageSamples(usage: ConfigurationUsage): MetricSample[] {
  if (usage.deleted) return [];
  const dimensions = [
    { Name: 'LicenseConfigurationArn', Value: usage.arn },
    { Name: 'LicenseConfigurationType', Value: usage.countingType },
  ];
  const consumed = consumedLicenses(usage);
  const sample = (metricName: MetricSample['metricName'], value: number): MetricSample => ({
    metricName,
    dimensions,
    unit: USAGE_METRICS[metricName],
    value,
  });
  const samples = [sample('LicenseConfigurationUsageCount', consumed)];
  if (usage.licenseCount !== undefined) {
    samples.push(sample('TotalLicenseConfigurationUsageCount', usage.licenseCount));
    if (usage.licenseCount > 0)
      samples.push(sample('LicenseConfigurationUsagePercentage', (consumed / usage.licenseCount) * 100));
  }
  return samples;
}

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
 * licensing counts it. The associations are kept apart, by resource (a configuration may have
 * thousands): the usage keeps only their count in use, which an event changes by what it changes
 * on the keys it concerns.
 */
export interface ConfigurationUsage {
  arn: string;
  accountId: string;
  countingType: string;
  licenseCount?: number;
  /** Licences in use: per consumption key the largest consumption of its associations, summed. */
  consumedLicenses: number;
  deleted: boolean;
}

/** What an associated resource consumes now, and the key its licences are counted on. */
export interface Association {
  consumptionKey: string;
  consumedLicenses: number;
}

/** Associations of one configuration, by resource ARN. */
export type Associations = ReadonlyMap<string, Association>;

/** What an event changed: the usage, and the association of the resource it concerns (null: ended). */
export interface UsageChange {
  usage: ConfigurationUsage;
  association?: { resourceArn: string; association: Association | null };
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
 * The resource whose association an event sets or ends, and the consumption key it sets it on:
 * the event is applied knowing the associations on the keys it concerns (the resource's, before,
 * and that one).
 */
export function associationConcerned(
  event: LicenseConfigurationEvent,
): { resourceArn: string; consumptionKey?: string } | undefined {
  switch (event.type) {
    case 'ResourceAssociated':
      return { resourceArn: event.data.resourceArn, consumptionKey: event.data.consumptionKey };
    case 'ResourceDisassociated':
    case 'AssociationConsumptionChanged':
      return { resourceArn: event.data.resourceArn };
    default:
      return undefined;
  }
}

/**
 * The usage after one of licensing's events; `undefined` when the event does not concern a
 * configuration reporting knows (its creation was never seen) or changes nothing it counts.
 * `sharing` holds the configuration's associations on the consumption keys the event concerns
 * (associationConcerned), and only those: the other keys' largest consumptions stay as they were.
 */
export function evolveUsage(
  usage: ConfigurationUsage | undefined,
  event: LicenseConfigurationEvent,
  sharing: Associations = new Map(),
): UsageChange | undefined {
  if (event.type === 'LicenseConfigurationCreated') {
    const { arn, ownerAccountId, countingType, licenseCount } = event.data;
    const created = { arn, accountId: ownerAccountId, countingType, licenseCount: metricValue(licenseCount) };
    return { usage: { ...created, consumedLicenses: 0, deleted: false } };
  }
  if (!usage || usage.deleted) return undefined;
  switch (event.type) {
    case 'LicenseConfigurationUpdated': {
      const { changes } = event.data;
      if (!Object.hasOwn(changes, 'licenseCount')) return undefined;
      return { usage: { ...usage, licenseCount: metricValue(changes.licenseCount) } };
    }
    case 'LicenseConfigurationDeleted':
      // Its associations go with it.
      return { usage: { ...usage, deleted: true, consumedLicenses: 0 } };
    case 'ResourceAssociated': {
      const { resourceArn, consumptionKey, consumedLicenses } = event.data;
      return withAssociation(usage, sharing, resourceArn, { consumptionKey, consumedLicenses });
    }
    case 'ResourceDisassociated':
      return withAssociation(usage, sharing, event.data.resourceArn, null);
    case 'AssociationConsumptionChanged': {
      const current = sharing.get(event.data.resourceArn);
      if (!current) return undefined;
      return withAssociation(usage, sharing, event.data.resourceArn, {
        ...current,
        consumedLicenses: event.data.consumedLicenses,
      });
    }
    default:
      return undefined;
  }
}

/**
 * The usage once a resource's association is set (or ended, null): the sum of the keys' largest
 * consumptions changes by what it changes on the keys `sharing` holds, which the change concerns.
 */
function withAssociation(
  usage: ConfigurationUsage,
  sharing: Associations,
  resourceArn: string,
  association: Association | null,
): UsageChange {
  const after = new Map(sharing);
  if (association) after.set(resourceArn, association);
  else after.delete(resourceArn);
  const consumed = usage.consumedLicenses - consumedLicenses(sharing.values()) + consumedLicenses(after.values());
  return { usage: { ...usage, consumedLicenses: consumed }, association: { resourceArn, association } };
}

/** Licences in use by some associations: per consumption key the largest consumption, summed. */
export function consumedLicenses(associations: Iterable<Association>): number {
  const byKey = new Map<string, number>();
  for (const { consumptionKey, consumedLicenses } of associations) {
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
  const consumed = usage.consumedLicenses;
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

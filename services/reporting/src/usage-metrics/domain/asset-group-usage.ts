import {
  assertCataloguedVersion,
  type DomainEventMessage,
  type LicenseAssetGroupUsageAnalysedData,
} from '@lm/contracts';
import type { Dimension, MetricSample } from './usage-metrics';

/** The guide's license asset group metrics (namespace AWSLicenseManager/licenseUsage, unit Count). */
export const INSTANCE_COUNT_METRIC = 'InstanceCount';
export const INSTANCE_CONSUMED_LICENSE_COUNT_METRIC = 'InstanceConsumedLicenseCount';

/** licensing's LicenseAssetGroupUsageAnalysed, at the schema version this reads; undefined for any other event. */
export function assetGroupUsageOf(event: DomainEventMessage<object>): LicenseAssetGroupUsageAnalysedData | undefined {
  if (event.service !== 'licensing' || event.type !== 'LicenseAssetGroupUsageAnalysed') return undefined;
  assertCataloguedVersion(event);
  return event.data as LicenseAssetGroupUsageAnalysedData;
}

/**
 * The group's samples: InstanceCount by LicenseAssetGroupArn, InstanceConsumedLicenseCount by
 * LicenseAssetGroupArn and LicenseCountingType, and the same with LicensingModel for a group with
 * an AWS-managed ruleset (the guide: "Available only for license asset groups with AWS-managed rulesets").
 */
export function assetGroupSamples(usage: LicenseAssetGroupUsageAnalysedData): MetricSample<string>[] {
  const group: Dimension = { Name: 'LicenseAssetGroupArn', Value: usage.groupArn };
  const countingType: Dimension = { Name: 'LicenseCountingType', Value: usage.licenseCountingType };
  const sample = (metricName: string, dimensions: Dimension[], value: number): MetricSample<string> => ({
    metricName,
    dimensions,
    unit: 'Count',
    value,
  });
  return [
    sample(INSTANCE_COUNT_METRIC, [group], usage.instanceCount),
    sample(INSTANCE_CONSUMED_LICENSE_COUNT_METRIC, [group, countingType], usage.consumedLicenses),
    ...(usage.byLicensingModel ?? []).flatMap((byModel) => {
      const model: Dimension = { Name: 'LicensingModel', Value: byModel.licensingModel };
      return [
        sample(INSTANCE_COUNT_METRIC, [group, model], byModel.instanceCount),
        sample(INSTANCE_CONSUMED_LICENSE_COUNT_METRIC, [group, countingType, model], byModel.consumedLicenses),
      ];
    }),
  ];
}

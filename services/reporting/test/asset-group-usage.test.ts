import { describe, expect, it } from 'vitest';
import { assetGroupSamples, assetGroupUsageOf } from '../src/usage-metrics/domain/asset-group-usage';

const data = {
  groupArn: 'arn:aws:license-manager:us-east-1:111111111111:license-asset-group/lag-1',
  ownerAccountId: '111111111111',
  licenseCountingType: 'Core' as const,
  instanceCount: 3,
  consumedLicenses: 12,
  analysedAt: '2026-01-01T00:00:00.000Z',
};
const message = (type: string, schemaVersion = 1) => ({
  service: 'licensing',
  eventId: 'e1',
  streamName: 'license-asset-group-lag-1',
  streamVersion: 2,
  type,
  schemaVersion,
  data,
  recordedAt: data.analysedAt,
});

describe('asset group usage metrics', () => {
  it('reads licensing LicenseAssetGroupUsageAnalysed at its schema version only', () => {
    expect(assetGroupUsageOf(message('LicenseAssetGroupUsageAnalysed'))).toEqual(data);
    expect(assetGroupUsageOf(message('LicenseAssetGroupCreated'))).toBeUndefined();
    expect(() => assetGroupUsageOf(message('LicenseAssetGroupUsageAnalysed', 2))).toThrow(/schema version 2/);
  });

  it('samples InstanceCount and InstanceConsumedLicenseCount, by licensing model when given', () => {
    const group = { Name: 'LicenseAssetGroupArn', Value: data.groupArn };
    const core = { Name: 'LicenseCountingType', Value: 'Core' };
    expect(assetGroupSamples(data)).toEqual([
      { metricName: 'InstanceCount', dimensions: [group], unit: 'Count', value: 3 },
      { metricName: 'InstanceConsumedLicenseCount', dimensions: [group, core], unit: 'Count', value: 12 },
    ]);
    const byModel = assetGroupSamples({
      ...data,
      byLicensingModel: [{ licensingModel: 'AWSMarketplace', instanceCount: 1, consumedLicenses: 4 }],
    });
    const model = { Name: 'LicensingModel', Value: 'AWSMarketplace' };
    expect(byModel.slice(2)).toEqual([
      { metricName: 'InstanceCount', dimensions: [group, model], unit: 'Count', value: 1 },
      { metricName: 'InstanceConsumedLicenseCount', dimensions: [group, core, model], unit: 'Count', value: 4 },
    ]);
  });
});

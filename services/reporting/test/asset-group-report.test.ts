import { describe, expect, it } from 'vitest';
import { definitionOf } from '../src/report-generators/domain/definition';
import { renderReport, reportIdOf, withinDates } from '../src/report-generators/domain/reports';

const owner = { accountId: '111111111111', region: 'us-east-1' };
const groupArn =
  'arn:aws:license-manager:us-east-1:111111111111:license-asset-group/lag-0123456789abcdef0123456789abcdef';
const configurationArn = 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef';
const request = {
  ReportGeneratorName: 'groups',
  Type: ['LicenseAssetGroupUsageReport'] as ('LicenseAssetGroupUsageReport' | 'LicenseConfigurationUsageReport')[],
  ReportContext: { licenseAssetGroupArns: [groupArn] } as Record<string, unknown>,
  ReportFrequency: { value: 1, period: 'WEEK' as const },
};
const refused = (changes: object) => () => definitionOf({ ...request, ...changes }, owner);

describe('license asset group usage reports', () => {
  it('take the groups of the caller and an optional date range, kept as ISO 8601', () => {
    expect(
      definitionOf(
        {
          ...request,
          ReportContext: { licenseAssetGroupArns: [groupArn], reportStartDate: 1767225600, reportEndDate: 1769904000 },
        },
        owner,
      ),
    ).toEqual({
      name: 'groups',
      types: ['LicenseAssetGroupUsageReport'],
      licenseConfigurationArns: [],
      licenseAssetGroupArns: [groupArn],
      reportStartDate: '2026-01-01T00:00:00.000Z',
      reportEndDate: '2026-02-01T00:00:00.000Z',
      frequency: { value: 1, period: 'WEEK' },
    });
  });

  it('refuse a report without groups, with another account’s, twice the same, or dates in the wrong order', () => {
    expect(refused({ ReportContext: {} })).toThrow(
      expect.objectContaining({
        code: 'InvalidParameterValueException',
        message: expect.stringMatching(/asset groups to report on/),
      }),
    );
    expect(
      refused({ ReportContext: { licenseAssetGroupArns: [groupArn.replace('111111111111', '222222222222')] } }),
    ).toThrow(/does not exist/);
    expect(refused({ ReportContext: { licenseAssetGroupArns: [groupArn, groupArn] } })).toThrow(/twice/);
    expect(
      refused({
        ReportContext: { licenseAssetGroupArns: [groupArn], reportStartDate: 1769904000, reportEndDate: 1767225600 },
      }),
    ).toThrow(/must not be after/);
  });

  it('refuse groups or dates without the report type, and configurations without theirs', () => {
    expect(
      refused({
        Type: ['LicenseConfigurationUsageReport'],
        ReportContext: { licenseConfigurationArns: [configurationArn], licenseAssetGroupArns: [groupArn] },
      }),
    ).toThrow(/which Type does not include/);
    expect(
      refused({
        Type: ['LicenseConfigurationUsageReport'],
        ReportContext: { licenseConfigurationArns: [configurationArn], reportStartDate: 1767225600 },
      }),
    ).toThrow(/bound license asset group reports only/);
    expect(
      refused({ ReportContext: { licenseAssetGroupArns: [groupArn], licenseConfigurationArns: [configurationArn] } }),
    ).toThrow(/which Type does not include/);
  });

  it('render a row per asset, and keep those discovered within the dates', () => {
    const csv = renderReport('LicenseAssetGroupUsageReport', {
      configurations: [],
      usage: [],
      assetGroups: [
        {
          licenseAssetGroupArn: groupArn,
          assets: [
            {
              assetType: 'Instance',
              assetArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
              latestAssetDiscoveryTime: '2026-01-02T00:00:00.000Z',
            },
          ],
        },
      ],
    });
    expect(csv).toBe(
      'LicenseAssetGroupArn,AssetType,AssetArn,LatestAssetDiscoveryTime\r\n' +
        `${groupArn},Instance,arn:aws:ec2:us-east-1:111111111111:instance/i-1,2026-01-02T00:00:00.000Z\r\n`,
    );
    expect(reportIdOf('run', 'LicenseAssetGroupUsageReport')).toBe('run-asset-groups');
    expect(withinDates('2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z')).toBe(true);
    expect(withinDates('2026-01-04T00:00:00.000Z', undefined, '2026-01-03T00:00:00.000Z')).toBe(false);
    expect(withinDates(undefined, '2026-01-01T00:00:00.000Z')).toBe(false);
    expect(withinDates(undefined)).toBe(true);
  });
});

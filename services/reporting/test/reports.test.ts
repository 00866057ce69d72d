import { describe, expect, it } from 'vitest';
import { renderReport, reportIdOf, reportKey } from '../src/report-generators/domain/reports';

const configurationArn =
  'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef';

describe('reports', () => {
  const data = {
    configurations: [
      {
        LicenseConfigurationArn: configurationArn,
        Name: 'SQL Server, "Enterprise"',
        Status: 'AVAILABLE',
        LicenseCountingType: 'vCPU' as const,
        LicenseCount: 48,
        LicenseCountHardLimit: true,
        ConsumedLicenses: 12,
        LicenseRules: ['#minimumVcpus=2', '#maximumVcpus=16'],
        ConsumedLicenseSummaryList: [
          { ResourceType: 'EC2_INSTANCE' as const, ConsumedLicenses: 8 },
          { ResourceType: 'EC2_HOST' as const, ConsumedLicenses: 4 },
        ],
      },
    ],
    usage: [
      {
        licenseConfigurationArn: configurationArn,
        usage: [
          {
            ResourceArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
            ResourceType: 'EC2_INSTANCE' as const,
            ResourceOwnerId: '111111111111',
            ResourceStatus: 'running',
            ConsumedLicenses: 8,
            AssociationTime: 1_772_323_200,
          },
        ],
      },
    ],
  };

  it('writes the summary as a header and a row per configuration, quoting what CSV needs quoted', () => {
    expect(renderReport('LicenseConfigurationSummaryReport', data)).toBe(
      'LicenseConfigurationArn,Name,Status,LicenseCountingType,LicenseCount,LicenseCountHardLimit,ConsumedLicenses,LicenseRules,ConsumedLicensesByResourceType\r\n' +
        `${configurationArn},"SQL Server, ""Enterprise""",AVAILABLE,vCPU,48,true,12,#minimumVcpus=2 #maximumVcpus=16,EC2_INSTANCE=8;EC2_HOST=4\r\n`,
    );
  });

  it('writes the usage as a header and a row per associated resource', () => {
    expect(renderReport('LicenseConfigurationUsageReport', data)).toBe(
      'ResourceArn,ResourceType,ResourceOwnerId,LicenseConfigurationArn,ConsumedLicenses,ResourceStatus,AssociationTime\r\n' +
        `arn:aws:ec2:us-east-1:111111111111:instance/i-1,EC2_INSTANCE,111111111111,${configurationArn},8,running,2026-03-01T00:00:00.000Z\r\n`,
    );
  });

  it("keys each report by the guide's layout, dated in UTC", () => {
    const id = reportIdOf('run-1', 'LicenseConfigurationUsageReport');
    expect(reportKey('Daily usage', new Date('2026-03-01T23:30:00-05:00'), id)).toBe(
      'Reports/Daily usage/2026/03/02/run-1-usage.csv',
    );
  });
});

import { randomBytes } from 'node:crypto';

/** arn:aws:license-manager:<region>:<account>:report-generator:<id>, as the ARNs of license-manager resources in a Region. */
const ARN_PATTERN = /^arn:aws:license-manager:([a-z0-9-]+):(\d{12}):report-generator:(r-[0-9a-f]{32})$/;

export const newReportGeneratorId = () => `r-${randomBytes(16).toString('hex')}`;

export const reportGeneratorArn = (region: string, accountId: string, id: string) =>
  `arn:aws:license-manager:${region}:${accountId}:report-generator:${id}`;

export function parseReportGeneratorArn(arn: string): { region: string; accountId: string; id: string } | undefined {
  const match = ARN_PATTERN.exec(arn);
  return match ? { region: match[1], accountId: match[2], id: match[3] } : undefined;
}

/** arn:aws:license-manager:<region>:<account>:license-configuration:lic-<id>: whose configuration, in which Region. */
const CONFIGURATION_ARN = /^arn:aws:license-manager:([a-z0-9-]+):(\d{12}):license-configuration:lic-[0-9a-f]+$/;

export function parseLicenseConfigurationArn(arn: string): { region: string; accountId: string } | undefined {
  const match = CONFIGURATION_ARN.exec(arn);
  return match ? { region: match[1], accountId: match[2] } : undefined;
}

/** arn:aws:license-manager:<region>:<account>:license-asset-group/lag-<id>: whose group, in which Region. */
const ASSET_GROUP_ARN = /^arn:aws:license-manager:([a-z0-9-]+):(\d{12}):license-asset-group\/lag-[0-9a-f]+$/;

export function parseLicenseAssetGroupArn(arn: string): { region: string; accountId: string } | undefined {
  const match = ASSET_GROUP_ARN.exec(arn);
  return match ? { region: match[1], accountId: match[2] } : undefined;
}

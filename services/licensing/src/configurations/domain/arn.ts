import { randomBytes } from 'node:crypto';

const ID_PATTERN = /^lic-[0-9a-f]{32}$/;
const ARN_PATTERN = /^arn:aws:license-manager:([a-z0-9-]+):(\d{12}):license-configuration:(lic-[0-9a-f]{32})$/;

export function newLicenseConfigurationId(): string {
  return `lic-${randomBytes(16).toString('hex')}`;
}

export function licenseConfigurationArn(region: string, accountId: string, id: string): string {
  return `arn:aws:license-manager:${region}:${accountId}:license-configuration:${id}`;
}

export interface LicenseConfigurationArnParts {
  region: string;
  accountId: string;
  id: string;
}

export function parseLicenseConfigurationArn(arn: string): LicenseConfigurationArnParts | undefined {
  const match = ARN_PATTERN.exec(arn);
  return match ? { region: match[1], accountId: match[2], id: match[3] } : undefined;
}

export function isLicenseConfigurationId(value: string): boolean {
  return ID_PATTERN.test(value);
}

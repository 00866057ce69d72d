import { randomBytes } from 'node:crypto';

/** Licences are global (replicated to every Region), so their ARN has no Region. */
const ARN_PATTERN = /^arn:aws:license-manager::(\d{12}):license:(l-[0-9a-f]{32})$/;

export const newLicenseId = () => `l-${randomBytes(16).toString('hex')}`;

export const licenseArn = (issuerAccountId: string, id: string) =>
  `arn:aws:license-manager::${issuerAccountId}:license:${id}`;

export function parseLicenseArn(arn: string): { issuerAccountId: string; id: string } | undefined {
  const match = ARN_PATTERN.exec(arn);
  return match ? { issuerAccountId: match[1], id: match[2] } : undefined;
}

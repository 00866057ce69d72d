import { createHash, randomBytes } from 'node:crypto';

/** Grants, like licences, are global: no Region in their ARN. */
const ARN_PATTERN = /^arn:aws:license-manager::(\d{12}):grant:(g-[0-9a-f]{32})$/;

export const newGrantId = () => `g-${randomBytes(16).toString('hex')}`;

/** The id of a grant the service makes itself, the same each time it is derived from the same seed. */
export const derivedGrantId = (seed: string) => `g-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;

export const grantArn = (grantorAccountId: string, id: string) =>
  `arn:aws:license-manager::${grantorAccountId}:grant:${id}`;

export function parseGrantArn(arn: string): { grantorAccountId: string; id: string } | undefined {
  const match = ARN_PATTERN.exec(arn);
  return match ? { grantorAccountId: match[1], id: match[2] } : undefined;
}

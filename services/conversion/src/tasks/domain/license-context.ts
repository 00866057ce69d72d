import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, type LicenseContext } from '@lm/contracts';

/** A LicenseConversionContext of a request in canonical form (product codes sorted, once each). */
export function licenseContextOf(
  context: LicenseManager.LicenseConversionContext | undefined,
  member: 'SourceLicenseContext' | 'DestinationLicenseContext',
): LicenseContext {
  const usageOperation = context?.UsageOperation;
  if (!usageOperation) throw invalidParameterValue(`${member} needs a UsageOperation.`);
  const productCodes = [...new Set((context.ProductCodes ?? []).map((code) => code.ProductCodeId))].sort();
  return { usageOperation, productCodes };
}

const INSTANCE_ARN = /^arn:aws:ec2:([a-z0-9-]+):(\d{12}):instance\/(i-[0-9a-f]{8,17})$/;

/** The instance an EC2 instance ARN names (the only resource whose license type converts). */
export function instanceOfArn(arn: string): { region: string; accountId: string; resourceId: string } {
  const match = INSTANCE_ARN.exec(arn);
  if (!match) throw invalidParameterValue(`ResourceArn ${arn} is not the ARN of an EC2 instance.`);
  const [, region, accountId, resourceId] = match;
  return { region, accountId, resourceId };
}

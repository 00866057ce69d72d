import type { ApiId, ApiModel } from './model';
import licenseManager from './models/license-manager.json';
import userSubscriptions from './models/license-manager-user-subscriptions.json';
import linuxSubscriptions from './models/license-manager-linux-subscriptions.json';
import extensions from './models/license-manager-extensions.json';
import kms from './models/kms.json';
import sts from './models/sts.json';
import monitoring from './models/monitoring.json';
import cloudtrail from './models/cloudtrail.json';
import secretsmanager from './models/secretsmanager.json';

export type { ApiId, ApiModel, MemberRef, OperationModel, Shape, WireProtocol } from './model';
export * as LicenseManager from './generated/license-manager';
export * as UserSubscriptions from './generated/license-manager-user-subscriptions';
export * as LinuxSubscriptions from './generated/license-manager-linux-subscriptions';
export * as Extensions from './generated/license-manager-extensions';
export * as Kms from './generated/kms';
export * as Sts from './generated/sts';
export * as Monitoring from './generated/monitoring';
export * as CloudTrail from './generated/cloudtrail';
export * as SecretsManager from './generated/secretsmanager';

export const apiModels: Record<ApiId, ApiModel> = {
  'license-manager': licenseManager as unknown as ApiModel,
  'license-manager-user-subscriptions': userSubscriptions as unknown as ApiModel,
  'license-manager-linux-subscriptions': linuxSubscriptions as unknown as ApiModel,
  'license-manager-extensions': extensions as unknown as ApiModel,
  kms: kms as unknown as ApiModel,
  sts: sts as unknown as ApiModel,
  monitoring: monitoring as unknown as ApiModel,
  cloudtrail: cloudtrail as unknown as ApiModel,
  secretsmanager: secretsmanager as unknown as ApiModel,
};

/** The three License Manager APIs of AWS. */
export const LICENSE_MANAGER_API_IDS: readonly ApiId[] = [
  'license-manager',
  'license-manager-user-subscriptions',
  'license-manager-linux-subscriptions',
];

/** The AWS APIs this product serves: License Manager's three and the KMS, STS, CloudWatch, CloudTrail and Secrets Manager subsets (the extensions API is this product's own). */
export const AWS_API_IDS: readonly ApiId[] = [
  ...LICENSE_MANAGER_API_IDS,
  'kms',
  'sts',
  'monitoring',
  'cloudtrail',
  'secretsmanager',
];

/** The SigV4 service name an operation is signed for: its own (signingName), else its API's. */
const signingNameOf = (api: ApiModel, operation: string) =>
  api.operations[operation].signingName ?? api.metadata.signingName ?? api.metadata.endpointPrefix;

/**
 * The APIs a SigV4 credential scope's service name designates, each with only the operations
 * signed for that name. license-manager designates two: the AWS API (awsJson1_1 on POST /) and
 * this product's extensions (restJson1 on their own paths); license-manager-user-subscriptions
 * designates its API and the extensions' ReportLicenseServers (the one operation of the
 * extensions signed for it), so that neither is reached with the other's signature.
 */
export function apisBySigningName(service: string): ApiModel[] {
  return API_VIEWS_BY_SIGNING_NAME.get(service) ?? [];
}

const API_VIEWS_BY_SIGNING_NAME = new Map<string, ApiModel[]>();
for (const api of Object.values(apiModels)) {
  const names = new Set(Object.keys(api.operations).map((operation) => signingNameOf(api, operation)));
  for (const name of names) {
    const operations = Object.entries(api.operations).filter(([operation]) => signingNameOf(api, operation) === name);
    const view =
      operations.length === Object.keys(api.operations).length
        ? api
        : { ...api, operations: Object.fromEntries(operations) };
    API_VIEWS_BY_SIGNING_NAME.set(name, [...(API_VIEWS_BY_SIGNING_NAME.get(name) ?? []), view]);
  }
}

export { validateInput, validationMessage, patternCoverage, type ValidationIssue } from './validation/validate-input';
export { compileJavaPattern } from './validation/java-pattern';
export { parseTimestamp, formatTimestamp, isIso8601DateTime, type TimestampFormat } from './timestamps';

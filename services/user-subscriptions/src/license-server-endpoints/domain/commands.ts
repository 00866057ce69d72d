import type { ActiveDirectoryDescription, LicenseServerDescription } from '@lm/contracts';

/** What an integrator reports of the servers it started or removed (ReportLicenseServers). */
export type LicenseServersReport =
  | { status: 'PROVISIONED'; endpoint: string; servers: LicenseServerDescription[] }
  | { status: 'PROVISIONING_FAILED' | 'DELETION_FAILED'; statusMessage: string }
  | { status: 'DELETED' };

export type LicenseServerEndpointCommand =
  | {
      type: 'CreateLicenseServerEndpoint';
      arn: string;
      endpointId: string;
      accountId: string;
      region: string;
      identityProviderArn: string;
      secretId: string;
      directory: ActiveDirectoryDescription;
      tags: Record<string, string>;
      now: Date;
    }
  | { type: 'DeleteLicenseServerEndpoint'; arn: string; accountId: string; now: Date }
  | { type: 'TagLicenseServerEndpoint'; arn: string; accountId: string; tags: Record<string, string>; now: Date }
  | { type: 'UntagLicenseServerEndpoint'; arn: string; accountId: string; tagKeys: string[]; now: Date }
  /** From the integrator; `accountId`: the caller's, or the ARN's for a report on NATS. */
  | { type: 'ReportLicenseServers'; arn: string; accountId: string; report: LicenseServersReport; now: Date };

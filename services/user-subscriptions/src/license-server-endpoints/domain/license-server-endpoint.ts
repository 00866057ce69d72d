import { tagMapWithout } from '@lm/contracts';
import type { UserSubscriptions } from '@lm/api-model';
import type { ActiveDirectoryDescription, LicenseServerDescription } from '@lm/contracts';
import { statusMachine } from '../../shared/status-machine';
import type { LicenseServerEndpointEvent } from './events';

/** The model's LicenseServerEndpointProvisioningStatus. */
export type LicenseServerEndpointStatus =
  'PROVISIONING' | 'PROVISIONED' | 'PROVISIONING_FAILED' | 'DELETING' | 'DELETED' | 'DELETION_FAILED';

/**
 * The integrator, not this service, starts and removes the servers: CreateLicenseServerEndpoint
 * leaves the endpoint PROVISIONING and DeleteLicenseServerEndpoint DELETING until the integrator
 * reports what it did (ReportLicenseServers). Any endpoint but a deleted one can be deleted; a
 * failed deletion can be asked again.
 */
export const LICENSE_SERVER_ENDPOINT_STATUSES = statusMachine<LicenseServerEndpointStatus>(['PROVISIONING'], {
  PROVISIONING: ['PROVISIONED', 'PROVISIONING_FAILED', 'DELETING'],
  PROVISIONED: ['DELETING'],
  PROVISIONING_FAILED: ['DELETING'],
  DELETING: ['DELETED', 'DELETION_FAILED'],
  DELETION_FAILED: ['DELETING'],
  DELETED: [],
});

/** One endpoint of an RDS SAL registration; instants are ISO strings (kept as JSON in the view). */
export interface LicenseServerEndpoint {
  arn: string;
  endpointId: string;
  accountId: string;
  region: string;
  identityProviderArn: string;
  serverType: 'RDS_SAL';
  secretId: string;
  directory: ActiveDirectoryDescription;
  tags: Record<string, string>;
  status: LicenseServerEndpointStatus;
  endpoint?: string;
  servers: LicenseServerDescription[];
  statusMessage?: string;
  createdAt: string;
  updatedAt: string;
}

/** The stream of one registration's endpoints: its latest (one at a time). */
export interface LicenseServerEndpointState {
  endpoint?: LicenseServerEndpoint;
}

export const initialLicenseServerEndpointState = (): LicenseServerEndpointState => ({});

export function evolveLicenseServerEndpoint(
  state: LicenseServerEndpointState,
  event: LicenseServerEndpointEvent,
): LicenseServerEndpointState {
  if (event.type === 'LicenseServerEndpointRequested') {
    const { arn, endpointId, accountId, region, identityProviderArn, serverType, secretId, directory, tags, at } =
      event.data;
    return {
      endpoint: {
        arn,
        endpointId,
        accountId,
        region,
        identityProviderArn,
        serverType,
        secretId,
        directory,
        tags,
        status: 'PROVISIONING',
        servers: [],
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  const endpoint = state.endpoint;
  if (!endpoint || endpoint.arn !== event.data.arn) return state;
  const changed = (changes: Partial<LicenseServerEndpoint>): LicenseServerEndpointState => ({
    endpoint: { ...endpoint, ...changes, updatedAt: event.data.at },
  });
  switch (event.type) {
    case 'LicenseServerEndpointProvisioned':
      return changed({
        status: 'PROVISIONED',
        endpoint: event.data.endpoint,
        servers: event.data.servers,
        statusMessage: undefined,
      });
    case 'LicenseServersHealthReported':
      return changed({ endpoint: event.data.endpoint, servers: event.data.servers });
    case 'LicenseServerEndpointProvisioningFailed':
      return changed({ status: 'PROVISIONING_FAILED', statusMessage: event.data.statusMessage });
    case 'LicenseServerEndpointDeletionRequested':
      return changed({ status: 'DELETING', statusMessage: undefined });
    case 'LicenseServerEndpointDeleted':
      return changed({ status: 'DELETED', statusMessage: undefined });
    case 'LicenseServerEndpointDeletionFailed':
      return changed({ status: 'DELETION_FAILED', statusMessage: event.data.statusMessage });
    case 'LicenseServerEndpointTagged':
      return changed({ tags: { ...endpoint.tags, ...event.data.tags } });
    case 'LicenseServerEndpointUntagged':
      return changed({ tags: tagMapWithout(endpoint.tags, event.data.tagKeys) });
  }
}

/** The endpoint as the API's LicenseServerEndpoint tells it (a secret's id is not part of it). */
export function toLicenseServerEndpointOutput(
  endpoint: LicenseServerEndpoint,
): UserSubscriptions.LicenseServerEndpoint {
  return {
    IdentityProviderArn: endpoint.identityProviderArn,
    ServerType: endpoint.serverType,
    ServerEndpoint: endpoint.endpoint !== undefined ? { Endpoint: endpoint.endpoint } : undefined,
    StatusMessage: endpoint.statusMessage,
    LicenseServerEndpointId: endpoint.endpointId,
    LicenseServerEndpointArn: endpoint.arn,
    LicenseServerEndpointProvisioningStatus: endpoint.status,
    LicenseServers: endpoint.servers.map((server) => ({
      ProvisioningStatus: endpoint.status,
      HealthStatus: server.healthStatus,
      Ipv4Address: server.ipv4Address,
      Ipv6Address: server.ipv6Address,
    })),
    CreationTime: Date.parse(endpoint.createdAt) / 1000,
  };
}

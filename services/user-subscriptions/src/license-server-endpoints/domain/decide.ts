import { presentTagKeys, tagMapWith } from '@lm/contracts';
import type { Decider } from '@lm/event-store';
import type { LicenseServerDescription } from '@lm/contracts';
import type { LicenseServerEndpointCommand, LicenseServersReport } from './commands';
import { licenseServerEndpointConflict, licenseServerEndpointNotFound } from './errors';
import type { LicenseServerEndpointEvent } from './events';
import {
  evolveLicenseServerEndpoint,
  initialLicenseServerEndpointState,
  LICENSE_SERVER_ENDPOINT_STATUSES,
  type LicenseServerEndpoint,
  type LicenseServerEndpointState,
  type LicenseServerEndpointStatus,
} from './license-server-endpoint';

/** The caller's endpoint named by `arn`; anyone else is told it does not exist. */
function own(state: LicenseServerEndpointState, command: { arn: string; accountId: string }): LicenseServerEndpoint {
  const endpoint = state.endpoint;
  if (!endpoint || endpoint.arn !== command.arn || endpoint.accountId !== command.accountId)
    throw licenseServerEndpointNotFound(command.arn);
  return endpoint;
}

const refOf = (endpoint: LicenseServerEndpoint, now: Date) => ({
  arn: endpoint.arn,
  accountId: endpoint.accountId,
  identityProviderArn: endpoint.identityProviderArn,
  serverType: endpoint.serverType,
  at: now.toISOString(),
});

function movable(endpoint: LicenseServerEndpoint, to: LicenseServerEndpointStatus, what: string): void {
  if (!LICENSE_SERVER_ENDPOINT_STATUSES.can(endpoint.status, to))
    throw licenseServerEndpointConflict(`License server endpoint ${endpoint.arn} is ${endpoint.status}: ${what}.`);
}

const sameServers = (a: LicenseServerDescription[], b: LicenseServerDescription[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * An integrator's report: what it did for the endpoint's current status. A report of the status
 * the endpoint already has changes nothing (a repeated report), except a provisioned endpoint's
 * servers, whose addresses and health a later PROVISIONED report updates.
 */
function reported(
  endpoint: LicenseServerEndpoint,
  report: LicenseServersReport,
  now: Date,
): LicenseServerEndpointEvent[] {
  const ref = refOf(endpoint, now);
  if (report.status === 'PROVISIONED' && endpoint.status === 'PROVISIONED') {
    if (endpoint.endpoint === report.endpoint && sameServers(endpoint.servers, report.servers)) return [];
    return [
      { type: 'LicenseServersHealthReported', data: { ...ref, endpoint: report.endpoint, servers: report.servers } },
    ];
  }
  if (report.status === endpoint.status) return [];
  movable(endpoint, report.status, `${report.status} is not a report it can take`);
  switch (report.status) {
    case 'PROVISIONED':
      return [
        {
          type: 'LicenseServerEndpointProvisioned',
          data: { ...ref, endpoint: report.endpoint, servers: report.servers },
        },
      ];
    case 'PROVISIONING_FAILED':
      return [
        { type: 'LicenseServerEndpointProvisioningFailed', data: { ...ref, statusMessage: report.statusMessage } },
      ];
    case 'DELETED':
      return [{ type: 'LicenseServerEndpointDeleted', data: ref }];
    case 'DELETION_FAILED':
      return [{ type: 'LicenseServerEndpointDeletionFailed', data: { ...ref, statusMessage: report.statusMessage } }];
  }
}

export function decideLicenseServerEndpoint(
  command: LicenseServerEndpointCommand,
  state: LicenseServerEndpointState,
): LicenseServerEndpointEvent[] {
  switch (command.type) {
    case 'CreateLicenseServerEndpoint': {
      // The guide: one RDS license server endpoint per directory; another only once it is deleted.
      const current = state.endpoint;
      if (current && current.status !== 'DELETED')
        throw licenseServerEndpointConflict(
          `Identity provider ${current.identityProviderArn} already has license server endpoint ${current.arn} (${current.status}).`,
        );
      const { arn, endpointId, accountId, region, identityProviderArn, secretId, directory, tags, now } = command;
      return [
        {
          type: 'LicenseServerEndpointRequested',
          data: {
            arn,
            endpointId,
            accountId,
            region,
            identityProviderArn,
            serverType: 'RDS_SAL',
            secretId,
            directory,
            tags,
            at: now.toISOString(),
          },
        },
      ];
    }
    case 'DeleteLicenseServerEndpoint': {
      const endpoint = own(state, command);
      movable(endpoint, 'DELETING', 'it cannot be deleted');
      return [{ type: 'LicenseServerEndpointDeletionRequested', data: refOf(endpoint, command.now) }];
    }
    case 'ReportLicenseServers':
      return reported(own(state, command), command.report, command.now);
    case 'TagLicenseServerEndpoint': {
      const endpoint = own(state, command);
      tagMapWith(endpoint.tags, command.tags);
      return [{ type: 'LicenseServerEndpointTagged', data: { ...refOf(endpoint, command.now), tags: command.tags } }];
    }
    case 'UntagLicenseServerEndpoint': {
      const endpoint = own(state, command);
      const tagKeys = presentTagKeys(endpoint.tags, command.tagKeys);
      if (tagKeys.length === 0) return [];
      return [{ type: 'LicenseServerEndpointUntagged', data: { ...refOf(endpoint, command.now), tagKeys } }];
    }
  }
}

export const licenseServerEndpointDecider: Decider<
  LicenseServerEndpointCommand,
  LicenseServerEndpointEvent,
  LicenseServerEndpointState
> = {
  initialState: initialLicenseServerEndpointState,
  evolve: evolveLicenseServerEndpoint,
  decide: decideLicenseServerEndpoint,
};

/** One stream per registration: two racing creations for one identity provider cannot both start. */
export const licenseServerEndpointStream = (identityProviderArn: string) =>
  `license-server-endpoint-${identityProviderArn.slice(identityProviderArn.lastIndexOf('/') + 1)}`;

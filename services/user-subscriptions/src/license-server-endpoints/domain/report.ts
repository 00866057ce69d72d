import { isIP } from 'node:net';
import type { Extensions } from '@lm/api-model';
import { validation, type LicenseServerDescription } from '@lm/contracts';
import type { LicenseServersReport } from './commands';

/**
 * A ReportLicenseServers body as the domain's report: PROVISIONED names at least one server,
 * each with an IPv4 or IPv6 address and its health (Endpoint: the first server's address when
 * left out); PROVISIONING_FAILED and DELETION_FAILED say why in StatusMessage.
 */
export function licenseServersReportOf(input: Extensions.ReportLicenseServersRequest): LicenseServersReport {
  switch (input.ProvisioningStatus) {
    case 'PROVISIONED': {
      const servers = (input.LicenseServers ?? []).map(serverOf);
      if (servers.length === 0) throw validation('A PROVISIONED report names its LicenseServers.');
      const endpoint = input.Endpoint?.trim() || servers[0].ipv4Address || servers[0].ipv6Address!;
      return { status: 'PROVISIONED', endpoint, servers };
    }
    case 'PROVISIONING_FAILED':
    case 'DELETION_FAILED': {
      const statusMessage = input.StatusMessage?.trim();
      if (!statusMessage) throw validation(`A ${input.ProvisioningStatus} report says why in StatusMessage.`);
      return { status: input.ProvisioningStatus, statusMessage };
    }
    case 'DELETED':
      return { status: 'DELETED' };
    default:
      throw validation('ProvisioningStatus must be PROVISIONED, PROVISIONING_FAILED, DELETED or DELETION_FAILED.');
  }
}

function serverOf(server: Extensions.ReportedLicenseServer): LicenseServerDescription {
  const { Ipv4Address: ipv4Address, Ipv6Address: ipv6Address, HealthStatus: healthStatus } = server;
  if (ipv4Address === undefined && ipv6Address === undefined)
    throw validation('Each license server gives its Ipv4Address or Ipv6Address.');
  if (ipv4Address !== undefined && isIP(ipv4Address) !== 4) throw validation(`${ipv4Address} is not an IPv4 address.`);
  if (ipv6Address !== undefined && isIP(ipv6Address) !== 6) throw validation(`${ipv6Address} is not an IPv6 address.`);
  if (healthStatus !== 'HEALTHY' && healthStatus !== 'UNHEALTHY' && healthStatus !== 'NOT_APPLICABLE')
    throw validation('HealthStatus must be HEALTHY, UNHEALTHY or NOT_APPLICABLE.');
  return { ...(ipv4Address && { ipv4Address }), ...(ipv6Address && { ipv6Address }), healthStatus };
}

import { assertCataloguedVersion } from './catalogue';
import type { DomainEventMessage } from './domain-event-message';
import type { ServiceSettingsUpdatedData } from './licensing';

/**
 * What licensing's ServiceSettingsUpdated says of an account's organization in a Region: what
 * the services that follow it (discovery, grants, Linux subscriptions) keep of it.
 */
export interface OrganizationSettings {
  accountId: string;
  region: string;
  organizationId: string | null;
  organizationIntegration: boolean;
  enableCrossAccountsDiscovery: boolean;
  /** When licensing recorded them: a late redelivery of older settings must not overwrite newer ones. */
  recordedAt: string;
}

/**
 * The organization settings of a ServiceSettingsUpdated message, at the schema version this library
 * reads (another version throws, so the message is redelivered until the consumer can read it);
 * undefined for another event, or one that names no account. Settings recorded without a Region
 * (before they were per Region) are the deployment's.
 */
export function organizationSettingsOf(
  event: DomainEventMessage,
  deploymentRegion: string,
): OrganizationSettings | undefined {
  if (event.service !== 'licensing' || event.type !== 'ServiceSettingsUpdated') return undefined;
  assertCataloguedVersion(event);
  const data = event.data as Partial<ServiceSettingsUpdatedData>;
  if (typeof data.accountId !== 'string') return undefined;
  return {
    accountId: data.accountId,
    region: data.region ?? deploymentRegion,
    organizationId: data.organizationId ?? null,
    organizationIntegration: data.organizationIntegration === true,
    enableCrossAccountsDiscovery: data.enableCrossAccountsDiscovery === true,
    recordedAt: event.recordedAt,
  };
}

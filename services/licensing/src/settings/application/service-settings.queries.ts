import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { EventStore } from '@lm/event-store';
import type { Caller } from '@lm/contracts';
import { EVENT_STORE } from '@lm/service-kit';
import {
  defaultServiceSettings,
  serviceSettingsDecider,
  serviceSettingsStream,
  type ServiceSettings,
  type ServiceSettingsEvent,
} from '../domain/service-settings';

/** GetServiceSettings, and an account's settings as the other slices read them (folded from its stream). */
@Injectable()
export class ServiceSettingsQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async get(caller: Caller): Promise<LicenseManager.GetServiceSettingsResponse> {
    return toOutput(await this.settingsOf(caller.accountId, caller.region));
  }

  /** An account's settings in a Region (the defaults until it changes any). */
  async settingsOf(accountId: string, region: string): Promise<ServiceSettings> {
    const { events } = await this.store.readStream<ServiceSettingsEvent>(serviceSettingsStream(accountId, region));
    const settings = events.reduce(serviceSettingsDecider.evolve, serviceSettingsDecider.initialState());
    return settings ?? defaultServiceSettings(accountId, region);
  }
}

function toOutput(settings: ServiceSettings): LicenseManager.GetServiceSettingsResponse {
  return {
    S3BucketArn: settings.s3BucketArn,
    SnsTopicArn: settings.snsTopicArn,
    OrganizationConfiguration: { EnableIntegration: settings.organizationIntegration },
    EnableCrossAccountsDiscovery: settings.enableCrossAccountsDiscovery,
    LicenseManagerResourceShareArn: settings.organizationIntegration ? resourceShareArn(settings) : undefined,
    CrossRegionDiscoveryHomeRegion: settings.region,
    CrossRegionDiscoverySourceRegions: settings.enabledDiscoverySourceRegions,
    ServiceStatus: {
      CrossAccountDiscovery: {
        Message: settings.enableCrossAccountsDiscovery
          ? 'Cross-account discovery is enabled.'
          : 'Cross-account discovery is not enabled.',
      },
      CrossRegionDiscovery: {
        Message: Object.fromEntries(
          settings.enabledDiscoverySourceRegions.map((region) => [region, { Status: 'ENABLED' }]),
        ),
      },
    },
  };
}

/**
 * The share through which the organization's accounts see shared configurations: named as AWS
 * RAM names it, with an id that stays the same for the account and Region.
 */
function resourceShareArn(settings: ServiceSettings): string {
  const hex = createHash('sha256').update(`${settings.accountId}:${settings.region}`).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:ram:${settings.region}:${settings.accountId}:resource-share/${id}`;
}

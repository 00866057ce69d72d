import { Injectable } from '@nestjs/common';
import type { LinuxSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { settingsStatus } from '../domain/discovery-settings';
import { regionMessage } from '../domain/status-messages';
import { DiscoverySettingsLookup } from './discovery-settings.lookup';
import { RegionNotes } from './region-notes';

/** GetServiceSettings: the caller's settings, Status and each source Region's StatusMessage. */
@Injectable()
export class ServiceSettingsQueries {
  constructor(
    private readonly lookup: DiscoverySettingsLookup,
    private readonly notes: RegionNotes,
  ) {}

  async get(caller: Caller): Promise<LinuxSubscriptions.GetServiceSettingsResponse> {
    const settings = await this.lookup.settingsOf(caller.accountId);
    // Never set: discovery has never run, and there is nothing to report.
    if (!settings) return { LinuxSubscriptionsDiscovery: 'Disabled', Status: 'Completed', StatusMessage: {} };
    const notes = await this.notes.of(caller.accountId);
    const StatusMessage = Object.fromEntries(
      Object.entries(settings.regions).map(([region, steps]) => [region, regionMessage(steps, notes[region])]),
    );
    return {
      HomeRegions: [settings.homeRegion],
      LinuxSubscriptionsDiscovery: settings.discovery,
      LinuxSubscriptionsDiscoverySettings: {
        OrganizationIntegration: settings.organizationIntegration,
        SourceRegions: settings.sourceRegions,
      },
      Status: settingsStatus(settings),
      StatusMessage,
    };
  }
}

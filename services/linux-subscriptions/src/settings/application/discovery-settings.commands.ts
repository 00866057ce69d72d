import { Inject, Injectable } from '@nestjs/common';
import type { LinuxSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import { discoverySettingsDecider, discoverySettingsStream } from '../domain/decide';
import { organizationAccess, type OrganizationAccess } from '../domain/organization-access';
import { settingsInput } from '../domain/settings-input';
import { DeactivationBlockers } from './deactivation-blockers';
import { DiscoverySteps } from './discovery-steps';
import { OrganizationLinks } from './organization-links';
import { ServiceSettingsQueries } from './discovery-settings.queries';

/**
 * UpdateServiceSettings: the caller's settings, saved with each source Region's steps pending
 * (or the organization's refusal, in the guide's words); the steps go on after the answer.
 */
@Injectable()
export class DiscoverySettingsCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly blockers: DeactivationBlockers,
    private readonly organizationLinks: OrganizationLinks,
    private readonly steps: DiscoverySteps,
    private readonly queries: ServiceSettingsQueries,
  ) {}

  async update(
    caller: Caller,
    input: LinuxSubscriptions.UpdateServiceSettingsRequest,
  ): Promise<LinuxSubscriptions.UpdateServiceSettingsResponse> {
    const settings = settingsInput(input);
    const { accountId } = caller;
    const disabling = settings.discovery === 'Disabled';
    const { newEvents } = await handleCommand(
      this.store,
      discoverySettingsStream(accountId),
      discoverySettingsDecider,
      {
        type: 'UpdateServiceSettings',
        accountId,
        homeRegion: this.region,
        ...settings,
        organization:
          settings.discovery === 'Enabled' && settings.organizationIntegration === 'Enabled'
            ? await this.organizationOf(caller)
            : undefined,
        deactivationBlockers: disabling ? await this.blockers.of(accountId) : [],
        now: this.clock.now(),
      },
    );
    if (newEvents.length > 0) this.steps.soon(accountId);
    return this.queries.get(caller);
  }

  private async organizationOf(caller: Caller): Promise<OrganizationAccess> {
    const organization = caller.organization;
    const linked = organization ? await this.organizationLinks.linked(caller.accountId, organization.id) : false;
    return organizationAccess(caller.accountId, organization, linked);
  }
}

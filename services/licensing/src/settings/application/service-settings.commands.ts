import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { handleCommand, type EventStore } from '@lm/event-store';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { serviceSettingsDecider, serviceSettingsStream } from '../domain/service-settings';

/** UpdateServiceSettings: one small aggregate per account and Region. */
@Injectable()
export class ServiceSettingsCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async update(caller: Caller, input: LicenseManager.UpdateServiceSettingsRequest): Promise<void> {
    const organization = caller.organization;
    await handleCommand(this.store, serviceSettingsStream(caller.accountId, caller.region), serviceSettingsDecider, {
      accountId: caller.accountId,
      region: caller.region,
      managedOrganizationId: organization?.managementAccountId === caller.accountId ? organization.id : undefined,
      managedOrganizationMemberIds:
        organization?.managementAccountId === caller.accountId ? organization.memberAccountIds : undefined,
      now: this.clock.now(),
      input,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { handleCommand, handleMultiStreamCommand, NewStreamBatcher, stream, type EventStore } from '@lm/event-store';
import type { Caller } from '@lm/contracts';
import { CLOCK, type Clock, EVENT_STORE } from '@lm/service-kit';
import { licenseConfigurationArn, newLicenseConfigurationId, parseLicenseConfigurationArn } from '../domain/arn';
import type { LicenseConfigurationCommand } from '../domain/commands';
import { licenseConfigurationDecider, licenseConfigurationStream } from '../domain/decide';
import { licenseConfigurationNotFound } from '../domain/errors';
import { invalidParameterValue } from '@lm/contracts';
import { hasExclusionRules } from '../domain/product-matching';
import { ServiceSettingsQueries } from '../../settings/application/service-settings.queries';
import { LicenseConfigurationStates } from './license-configuration.states';
import { PRODUCT_INFORMATION_CHANGES, type ProductInformationChanges } from './product-information-changes';

type TargetedCommand = Extract<LicenseConfigurationCommand, { arn: string }>;
type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;

@Injectable()
export class LicenseConfigurationCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly settings: ServiceSettingsQueries,
    @Inject(PRODUCT_INFORMATION_CHANGES) private readonly productInformation: ProductInformationChanges,
    private readonly states: LicenseConfigurationStates,
    private readonly newStreams: NewStreamBatcher,
  ) {}

  async create(
    caller: Caller,
    input: LicenseManager.CreateLicenseConfigurationRequest,
  ): Promise<LicenseManager.CreateLicenseConfigurationResponse> {
    await this.assertExclusionRulesAllowed(caller, input.ProductInformationList);
    const id = newLicenseConfigurationId();
    const arn = licenseConfigurationArn(caller.region, caller.accountId, id);
    await handleCommand(
      this.store,
      licenseConfigurationStream(id),
      licenseConfigurationDecider,
      {
        type: 'CreateLicenseConfiguration',
        id,
        arn,
        accountId: caller.accountId,
        region: caller.region,
        now: this.clock.now(),
        input,
      },
      // Creates in flight together share a transaction (a commit, and the quota's and views' round trips).
      { assumeNewStream: true, newStreams: this.newStreams },
    );
    if (input.ProductInformationList?.length) await this.productInformation.onProductInformationChanged(arn);
    return { LicenseConfigurationArn: arn };
  }

  async update(caller: Caller, input: LicenseManager.UpdateLicenseConfigurationRequest): Promise<void> {
    await this.assertExclusionRulesAllowed(caller, input.ProductInformationList);
    await this.onExisting(caller, input.LicenseConfigurationArn, {
      type: 'UpdateLicenseConfiguration',
      now: this.clock.now(),
      input,
    });
    if (input.ProductInformationList !== undefined || input.LicenseConfigurationStatus === 'AVAILABLE') {
      await this.productInformation.onProductInformationChanged(input.LicenseConfigurationArn);
    }
  }

  /** The guide: exclusion rules (AccountId, Tag) need cross-account discovery; single accounts cannot add them. */
  private async assertExclusionRulesAllowed(
    caller: Caller,
    products: LicenseManager.ProductInformation[] | undefined,
  ): Promise<void> {
    if (!products || !hasExclusionRules(products)) return;
    if (!(await this.settings.settingsOf(caller.accountId, caller.region)).enableCrossAccountsDiscovery) {
      throw invalidParameterValue(
        'Exclusion rules (AccountId, Tag) need cross-account discovery, which this account has not enabled.',
      );
    }
  }

  async delete(caller: Caller, arn: string): Promise<void> {
    const streamName = await this.onExisting(caller, arn, {
      type: 'DeleteLicenseConfiguration',
      now: this.clock.now(),
    });
    this.states.forget(streamName);
  }

  async tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    await this.onExisting(caller, arn, { type: 'TagLicenseConfiguration', tags });
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onExisting(caller, arn, { type: 'UntagLicenseConfiguration', tagKeys });
  }

  /**
   * Runs a command on the configuration an ARN names, decided on its kept state (LicenseConfigurationStates);
   * an ARN of another region or account names none. Returns the configuration's stream.
   */
  private async onExisting(
    caller: Caller,
    arn: string,
    command: DistributiveOmit<TargetedCommand, 'arn' | 'accountId'>,
  ): Promise<string> {
    const parts = parseLicenseConfigurationArn(arn);
    if (!parts || parts.region !== caller.region || parts.accountId !== caller.accountId)
      throw licenseConfigurationNotFound(arn);
    const streamName = licenseConfigurationStream(parts.id);
    const targeted = { ...command, arn, accountId: caller.accountId } as TargetedCommand;
    await handleMultiStreamCommand(this.store, {
      streams: { configuration: stream(streamName, this.states) },
      decide: ({ configuration }) => ({ configuration: licenseConfigurationDecider.decide(targeted, configuration) }),
    });
    return streamName;
  }
}

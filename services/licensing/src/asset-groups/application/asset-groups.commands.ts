import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, type Clock, EVENT_STORE, requestHash } from '@lm/service-kit';
import { groupArn, groupIdFor, parseGroupArn, parseRulesetArn, rulesetArn, rulesetIdFor } from '../domain/arn';
import { groupNotFound, managedRulesetReadOnly, rulesetNotFound } from '../domain/errors';
import { groupDecider, groupStream, type GroupCommand, type GroupState } from '../domain/group';
import { isManagedRulesetArn } from '../domain/managed-rulesets';
import { rulesetDecider, rulesetStream, type RulesetCommand } from '../domain/ruleset';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
type OnRuleset = DistributiveOmit<Exclude<RulesetCommand, { type: 'CreateLicenseAssetRuleset' }>, 'arn' | 'accountId'>;
type OnGroup = DistributiveOmit<Exclude<GroupCommand, { type: 'CreateLicenseAssetGroup' }>, 'arn' | 'accountId'>;

/** Rulesets and groups a caller creates, changes, tags and deletes, in its own account and Region. */
@Injectable()
export class AssetGroupCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createRuleset(
    caller: Caller,
    input: LicenseManager.CreateLicenseAssetRulesetRequest,
  ): Promise<LicenseManager.CreateLicenseAssetRulesetResponse> {
    const id = rulesetIdFor(caller.accountId, caller.region, input.ClientToken);
    const arn = rulesetArn(caller.region, caller.accountId, id);
    await handleCommand(this.store, rulesetStream(id), rulesetDecider, {
      type: 'CreateLicenseAssetRuleset',
      id,
      arn,
      accountId: caller.accountId,
      region: caller.region,
      now: this.clock.now(),
      clientToken: input.ClientToken,
      requestHash: requestHash(input),
      input,
    });
    return { LicenseAssetRulesetArn: arn };
  }

  async updateRuleset(
    caller: Caller,
    input: LicenseManager.UpdateLicenseAssetRulesetRequest,
  ): Promise<LicenseManager.UpdateLicenseAssetRulesetResponse> {
    const arn = input.LicenseAssetRulesetArn;
    await this.onRuleset(caller, arn, { type: 'UpdateLicenseAssetRuleset', now: this.clock.now(), input });
    return { LicenseAssetRulesetArn: arn };
  }

  async deleteRuleset(caller: Caller, arn: string): Promise<void> {
    await this.onRuleset(caller, arn, { type: 'DeleteLicenseAssetRuleset', now: this.clock.now() });
  }

  tagRuleset(caller: Caller, arn: string, tags: LicenseManager.Tag[]) {
    return this.onRuleset(caller, arn, { type: 'TagLicenseAssetRuleset', tags });
  }

  untagRuleset(caller: Caller, arn: string, tagKeys: string[]) {
    return this.onRuleset(caller, arn, { type: 'UntagLicenseAssetRuleset', tagKeys });
  }

  async createGroup(
    caller: Caller,
    input: LicenseManager.CreateLicenseAssetGroupRequest,
  ): Promise<LicenseManager.CreateLicenseAssetGroupResponse> {
    const id = groupIdFor(caller.accountId, caller.region, input.ClientToken);
    const arn = groupArn(caller.region, caller.accountId, id);
    const { state } = await handleCommand(this.store, groupStream(id), groupDecider, {
      type: 'CreateLicenseAssetGroup',
      id,
      arn,
      accountId: caller.accountId,
      region: caller.region,
      now: this.clock.now(),
      clientToken: input.ClientToken,
      requestHash: requestHash(input),
      input,
    });
    return { LicenseAssetGroupArn: arn, Status: statusOf(state) };
  }

  async updateGroup(
    caller: Caller,
    input: LicenseManager.UpdateLicenseAssetGroupRequest,
  ): Promise<LicenseManager.UpdateLicenseAssetGroupResponse> {
    const arn = input.LicenseAssetGroupArn;
    const state = await this.onGroup(caller, arn, {
      type: 'UpdateLicenseAssetGroup',
      region: caller.region,
      now: this.clock.now(),
      input,
    });
    return { LicenseAssetGroupArn: arn, Status: statusOf(state) };
  }

  async deleteGroup(caller: Caller, arn: string): Promise<LicenseManager.DeleteLicenseAssetGroupResponse> {
    await this.onGroup(caller, arn, { type: 'DeleteLicenseAssetGroup', now: this.clock.now() });
    return { Status: 'DELETED' };
  }

  async tagGroup(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    await this.onGroup(caller, arn, { type: 'TagLicenseAssetGroup', tags });
  }

  async untagGroup(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    await this.onGroup(caller, arn, { type: 'UntagLicenseAssetGroup', tagKeys });
  }

  /** A command on a custom ruleset the ARN names in the caller's account and Region; AWS-managed ones are read-only. */
  private async onRuleset(caller: Caller, arn: string, command: OnRuleset): Promise<void> {
    if (isManagedRulesetArn(arn)) throw managedRulesetReadOnly(arn);
    const parts = parseRulesetArn(arn);
    if (!parts || parts.region !== caller.region || parts.accountId !== caller.accountId) throw rulesetNotFound(arn);
    await handleCommand(this.store, rulesetStream(parts.id), rulesetDecider, {
      ...command,
      arn,
      accountId: caller.accountId,
    } as RulesetCommand);
  }

  private async onGroup(caller: Caller, arn: string, command: OnGroup): Promise<GroupState> {
    const parts = parseGroupArn(arn);
    if (!parts || parts.region !== caller.region || parts.accountId !== caller.accountId) throw groupNotFound(arn);
    const { state } = await handleCommand(this.store, groupStream(parts.id), groupDecider, {
      ...command,
      arn,
      accountId: caller.accountId,
    } as GroupCommand);
    return state;
  }
}

const statusOf = (state: GroupState) => (state.status === 'present' ? state.group.status : 'DELETED');

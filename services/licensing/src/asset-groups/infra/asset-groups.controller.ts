import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { AssetGroupCommands } from '../application/asset-groups.commands';
import { AssetGroupQueries } from '../application/asset-groups.queries';

const { subject } = operations('licensing');

/** NATS handlers of the license asset ruleset and group operations; the gateway has validated the input. */
@Controller()
export class AssetGroupsController {
  constructor(
    private readonly commands: AssetGroupCommands,
    private readonly queries: AssetGroupQueries,
  ) {}

  @MessagePattern(subject('CreateLicenseAssetRuleset'))
  createRuleset(@Payload() { caller, input }: Request<'CreateLicenseAssetRuleset'>) {
    return this.commands.createRuleset(caller, input);
  }

  @MessagePattern(subject('GetLicenseAssetRuleset'))
  getRuleset(@Payload() { caller, input }: Request<'GetLicenseAssetRuleset'>) {
    return this.queries.getRuleset(caller, input.LicenseAssetRulesetArn);
  }

  @MessagePattern(subject('UpdateLicenseAssetRuleset'))
  updateRuleset(@Payload() { caller, input }: Request<'UpdateLicenseAssetRuleset'>) {
    return this.commands.updateRuleset(caller, input);
  }

  @MessagePattern(subject('DeleteLicenseAssetRuleset'))
  async deleteRuleset(@Payload() { caller, input }: Request<'DeleteLicenseAssetRuleset'>) {
    await this.commands.deleteRuleset(caller, input.LicenseAssetRulesetArn);
    return {};
  }

  @MessagePattern(subject('ListLicenseAssetRulesets'))
  listRulesets(@Payload() { caller, input }: Request<'ListLicenseAssetRulesets'>) {
    return this.queries.listRulesets(caller, input);
  }

  @MessagePattern(subject('CreateLicenseAssetGroup'))
  createGroup(@Payload() { caller, input }: Request<'CreateLicenseAssetGroup'>) {
    return this.commands.createGroup(caller, input);
  }

  @MessagePattern(subject('GetLicenseAssetGroup'))
  getGroup(@Payload() { caller, input }: Request<'GetLicenseAssetGroup'>) {
    return this.queries.getGroup(caller, input.LicenseAssetGroupArn);
  }

  @MessagePattern(subject('UpdateLicenseAssetGroup'))
  updateGroup(@Payload() { caller, input }: Request<'UpdateLicenseAssetGroup'>) {
    return this.commands.updateGroup(caller, input);
  }

  @MessagePattern(subject('DeleteLicenseAssetGroup'))
  deleteGroup(@Payload() { caller, input }: Request<'DeleteLicenseAssetGroup'>) {
    return this.commands.deleteGroup(caller, input.LicenseAssetGroupArn);
  }

  @MessagePattern(subject('ListLicenseAssetGroups'))
  listGroups(@Payload() { caller, input }: Request<'ListLicenseAssetGroups'>) {
    return this.queries.listGroups(caller, input);
  }

  @MessagePattern(subject('ListAssetsForLicenseAssetGroup'))
  listAssets(@Payload() { caller, input }: Request<'ListAssetsForLicenseAssetGroup'>) {
    return this.queries.listAssets(caller, input);
  }
}

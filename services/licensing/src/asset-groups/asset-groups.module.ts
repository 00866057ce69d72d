import { Module } from '@nestjs/common';
import { AssetGroupCommands } from './application/asset-groups.commands';
import { AssetGroupQueries } from './application/asset-groups.queries';
import { AssetGroupsController } from './infra/asset-groups.controller';

/**
 * License asset rulesets (custom ones, and the AWS-managed seed) and groups, with what each
 * group's rulesets discover among the owner's instances, seller-issued licences and license
 * configurations (kept by the projections and consumers that the service definition lists).
 */
@Module({
  controllers: [AssetGroupsController],
  providers: [AssetGroupCommands, AssetGroupQueries],
  exports: [AssetGroupCommands, AssetGroupQueries],
})
export class AssetGroupsModule {}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { LicenseConfigurationCommands } from '../application/license-configuration.commands';
import { LicenseConfigurationQueries } from '../application/license-configuration.queries';

const { subject } = operations('licensing');

/**
 * Tagging of the resources this service owns. The gateway sends here the tag operations whose
 * ARN names a license configuration.
 */
@Controller()
export class TagsController {
  constructor(
    private readonly commands: LicenseConfigurationCommands,
    private readonly queries: LicenseConfigurationQueries,
  ) {}

  @MessagePattern(subject('TagResource'))
  async tag(@Payload() { caller, input }: Request<'TagResource'>) {
    await this.commands.tag(caller, input.ResourceArn, input.Tags);
    return {};
  }

  @MessagePattern(subject('UntagResource'))
  async untag(@Payload() { caller, input }: Request<'UntagResource'>) {
    await this.commands.untag(caller, input.ResourceArn, input.TagKeys);
    return {};
  }

  @MessagePattern(subject('ListTagsForResource'))
  listTags(@Payload() { caller, input }: Request<'ListTagsForResource'>) {
    return this.queries.listTags(caller, input.ResourceArn);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { validation } from '@lm/contracts';
import { operations } from '@lm/service-kit';
import type { UserSubscriptionsRequest } from '../request';
import { checkedTags, ResourceTags } from './resource-tags';

const { subject } = operations('user-subscriptions');

/** This API's tag operations (the gateway tells them from Linux subscriptions' by the SigV4 service name). */
@Controller()
export class ResourceTagsController {
  constructor(private readonly resourceTags: ResourceTags) {}

  @MessagePattern(subject('TagResource'))
  async tag(@Payload() { caller, input }: UserSubscriptionsRequest<'TagResource'>) {
    await this.resourceTags.ownerOf(input.ResourceArn).tag(caller, input.ResourceArn, checkedTags(input.Tags));
    return {};
  }

  @MessagePattern(subject('UntagResource'))
  async untag(@Payload() { caller, input }: UserSubscriptionsRequest<'UntagResource'>) {
    if (!input.TagKeys?.length) throw validation('TagKeys must name at least one key.');
    await this.resourceTags.ownerOf(input.ResourceArn).untag(caller, input.ResourceArn, input.TagKeys);
    return {};
  }

  @MessagePattern(subject('ListTagsForResource'))
  async list(@Payload() { caller, input }: UserSubscriptionsRequest<'ListTagsForResource'>) {
    return { Tags: await this.resourceTags.ownerOf(input.ResourceArn).tagsOf(caller, input.ResourceArn) };
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { validation } from '@lm/contracts';
import { operations } from '@lm/service-kit';
import type { LinuxSubscriptionsRequest } from '../request';
import { checkedTags, ResourceTags, taggedResourceNotFound } from './resource-tags';

const { subject } = operations('linux-subscriptions');

const notAnArnOfThisApi = (arn: string) => validation(`${arn} is not an ARN of license-manager-linux-subscriptions.`);

/**
 * This API's tag operations (the gateway tells them from user subscriptions' by the SigV4 service
 * name), with the model's lower-case members resourceArn, tags and tagKeys.
 */
@Controller()
export class ResourceTagsController {
  constructor(private readonly resourceTags: ResourceTags) {}

  @MessagePattern(subject('TagResource'))
  async tag(@Payload() { caller, input }: LinuxSubscriptionsRequest<'TagResource'>) {
    const tags = checkedTags(input.tags);
    const owner = this.resourceTags.ownerOf(input.resourceArn, notAnArnOfThisApi);
    // No tag to add (the model allows an empty map): the resource must still exist.
    if (Object.keys(tags).length === 0) await owner.tags(caller, input.resourceArn);
    else await owner.tag(caller, input.resourceArn, tags);
    return {};
  }

  /** UntagResource's model has no ValidationException: what is no resource of this API is not found. */
  @MessagePattern(subject('UntagResource'))
  async untag(@Payload() { caller, input }: LinuxSubscriptionsRequest<'UntagResource'>) {
    const owner = this.resourceTags.ownerOf(input.resourceArn, taggedResourceNotFound);
    const tagKeys = input.tagKeys ?? [];
    if (tagKeys.length === 0) await owner.tags(caller, input.resourceArn);
    else await owner.untag(caller, input.resourceArn, tagKeys);
    return {};
  }

  @MessagePattern(subject('ListTagsForResource'))
  async list(@Payload() { caller, input }: LinuxSubscriptionsRequest<'ListTagsForResource'>) {
    const owner = this.resourceTags.ownerOf(input.resourceArn, notAnArnOfThisApi);
    return { tags: await owner.tags(caller, input.resourceArn) };
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Caller } from '@lm/contracts';
import { ResourceTags, type TaggedResources } from '../../shared/tags/resource-tags';
import { SubscriptionProviderCommands } from './subscription-provider.commands';

/** TagResource, UntagResource and ListTagsForResource on subscription provider ARNs. */
@Injectable()
export class SubscriptionProviderTags implements TaggedResources, OnModuleInit {
  constructor(
    private readonly resourceTags: ResourceTags,
    private readonly commands: SubscriptionProviderCommands,
  ) {}

  onModuleInit(): void {
    this.resourceTags.add('subscription-provider', this);
  }

  tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void> {
    return this.commands.tag(caller, arn, tags);
  }

  untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    return this.commands.untag(caller, arn, tagKeys);
  }

  tags(caller: Caller, arn: string): Promise<Record<string, string>> {
    return this.commands.tagsOf(caller, arn);
  }
}

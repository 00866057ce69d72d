import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Caller } from '@lm/contracts';
import { ResourceTags, type TaggedResources } from '../../shared/tags/resource-tags';
import { IdentityProviderCommands } from './identity-provider.commands';

/** TagResource, UntagResource and ListTagsForResource on identity provider ARNs. */
@Injectable()
export class IdentityProviderTags implements TaggedResources, OnModuleInit {
  constructor(
    private readonly resourceTags: ResourceTags,
    private readonly commands: IdentityProviderCommands,
  ) {}

  onModuleInit(): void {
    this.resourceTags.add('identity-provider', this);
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

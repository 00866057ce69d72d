import { Injectable, type Provider, type Type } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import { assertTagMap, validation, type Caller } from '@lm/contracts';
import { userSubscriptionsResourceOf, type UserSubscriptionsResource } from '../arns';

/**
 * How a slice's commands tag the resources of its ARN type, each in its own aggregate: the
 * caller's own resource only (another account's, or an unknown one: ResourceNotFoundException).
 */
export interface TaggedResources {
  tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void>;
  untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void>;
  tagsOf(caller: Caller, arn: string): Promise<Record<string, string>>;
}

/**
 * The tag operations of license-manager-user-subscriptions (TagResource, UntagResource,
 * ListTagsForResource on `/tags/{ResourceArn}`), handed to the slice that owns the ARN's resource
 * type. A slice adds its commands with a provider of its module:
 * `resourceTagsOf('license-server-endpoint', LicenseServerEndpointCommands)`
 * (docs/user-subscriptions.md#tags); a type no slice added yet is refused with a ValidationException
 * that says so.
 */
@Injectable()
export class ResourceTags {
  private readonly owners = new Map<string, TaggedResources>();

  add(resource: UserSubscriptionsResource, owner: TaggedResources): void {
    this.owners.set(resource, owner);
  }

  ownerOf(arn: string | undefined): TaggedResources {
    const resource = userSubscriptionsResourceOf(arn ?? '');
    if (!resource) throw validation(`${arn} is not an ARN of license-manager-user-subscriptions.`);
    const owner = this.owners.get(resource);
    if (!owner) throw validation(`Resources of type ${resource} do not take tags in this build.`);
    return owner;
  }
}

/**
 * The provider that makes a slice's resources of type `resource` take tags, served by the slice's
 * commands: it adds them to ResourceTags when the module starts.
 */
export const resourceTagsOf = (resource: UserSubscriptionsResource, commands: Type<TaggedResources>): Provider => ({
  provide: `${resource} tags`,
  inject: [ResourceTags, commands],
  useFactory: (resourceTags: ResourceTags, owner: TaggedResources) => {
    resourceTags.add(resource, owner);
    return resource;
  },
});

/** TagResource's Tags: at least one, within AWS's limits (1 to 128 characters a key, 256 a value, 50 at most). */
export function checkedTags(tags: UserSubscriptions.TagResourceRequest['Tags'] | undefined): Record<string, string> {
  const checked = { ...tags };
  if (Object.keys(checked).length === 0) throw validation('Tags must name at least one tag.');
  assertTagMap(checked);
  return checked;
}

import { Injectable } from '@nestjs/common';
import { assertTagMap, AwsError, type Caller } from '@lm/contracts';
import { linuxSubscriptionsResourceOf, type LinuxSubscriptionsResource } from '../arns';

/**
 * How a slice tags the resources of its ARN type, each in its own aggregate: the caller's own
 * resource only (another account's, or an unknown one: ResourceNotFoundException).
 */
export interface TaggedResources {
  tag(caller: Caller, arn: string, tags: Record<string, string>): Promise<void>;
  untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void>;
  tags(caller: Caller, arn: string): Promise<Record<string, string>>;
}

/** The model's ResourceNotFoundException for an ARN no resource of this API has. */
export const taggedResourceNotFound = (arn: string) =>
  new AwsError('ResourceNotFoundException', `Resource ${arn} was not found.`);

/**
 * The tag operations of license-manager-linux-subscriptions (TagResource, UntagResource,
 * ListTagsForResource on `/tags/{resourceArn}`), handed to the slice that owns the ARN's resource
 * type. A slice adds its own in onModuleInit: `resourceTags.add('subscription-provider', this)`
 * (docs/linux-subscriptions.md#tags).
 */
@Injectable()
export class ResourceTags {
  private readonly owners = new Map<string, TaggedResources>();

  add(resource: LinuxSubscriptionsResource, owner: TaggedResources): void {
    this.owners.set(resource, owner);
  }

  /**
   * The slice that tags the ARN's resource. A string that is no ARN of this API is refused as
   * `notAnArn` says (UntagResource's model has no ValidationException); a resource type no slice
   * tags has no such resource.
   */
  ownerOf(arn: string | undefined, notAnArn: (arn: string) => AwsError): TaggedResources {
    const resource = linuxSubscriptionsResourceOf(arn ?? '');
    if (!resource) throw notAnArn(String(arn));
    const owner = this.owners.get(resource);
    if (!owner) throw taggedResourceNotFound(String(arn));
    return owner;
  }
}

/** TagResource's tags within AWS's limits (1 to 128 characters a key, 256 a value, 50 at most). */
export function checkedTags(tags: Record<string, string> | undefined): Record<string, string> {
  const checked = { ...tags };
  assertTagMap(checked);
  return checked;
}

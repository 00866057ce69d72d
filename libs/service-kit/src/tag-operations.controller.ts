import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { LicenseManager } from '@lm/api-model';
import type { Caller, OwnedOperation, ServiceName } from '@lm/contracts';
import { operations, type Request } from './operations';

/** The services the gateway sends tag operations to: those owning a resource type that takes tags. */
export type TaggingService = { [S in ServiceName]: 'TagResource' extends OwnedOperation<S> ? S : never }[ServiceName];

/** How a service changes the tags of the resource an ARN names; each service keeps them in its own storage. */
export interface TagCommands {
  tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void>;
  untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void>;
}

/** How a service reads the tags of the resource an ARN names. */
export interface TagQueries {
  tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse>;
}

/**
 * The controller of TagResource, UntagResource and ListTagsForResource for a service: the
 * gateway sends it those whose ARN names one of the service's resources, and it hands them to
 * the service's own commands and queries (providers of the module that lists this controller).
 */
export function tagOperationsController(
  service: TaggingService,
  commands: Type<TagCommands>,
  queries: Type<TagQueries>,
): Type<unknown> {
  const { subject } = operations<TaggingService>(service);

  @Controller()
  class TagOperationsController {
    constructor(
      @Inject(commands) private readonly commands: TagCommands,
      @Inject(queries) private readonly queries: TagQueries,
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
      return this.queries.tags(caller, input.ResourceArn);
    }
  }
  return TagOperationsController;
}

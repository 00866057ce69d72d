import { Module } from '@nestjs/common';
import { ResourceTags } from './resource-tags';
import { ResourceTagsController } from './resource-tags.controller';

/** The API's tag operations and the registry of the slices whose resources take tags. */
@Module({ controllers: [ResourceTagsController], providers: [ResourceTags], exports: [ResourceTags] })
export class ResourceTagsModule {}

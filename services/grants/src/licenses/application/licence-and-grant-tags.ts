import { Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { type Caller, resourceNotFound } from '@lm/contracts';
import type { TagCommands, TagQueries } from '@lm/service-kit';
import { GrantCommands } from '../../grants/application/grant.commands';
import { GrantQueries } from '../../grants/application/grant.queries';
import { parseGrantArn } from '../../grants/domain/arn';
import { parseLicenseArn } from '../domain/arn';
import { LicenseCommands } from './license.commands';
import { LicenseQueries } from './license.queries';

/**
 * The tags of this service's two taggable resources, licences (by their issuer) and grants (by
 * their grantor): each tag operation goes to the slice whose ARN it names.
 */
@Injectable()
export class LicenceAndGrantTags implements TagCommands, TagQueries {
  constructor(
    private readonly licenses: LicenseCommands,
    private readonly licenseQueries: LicenseQueries,
    private readonly grants: GrantCommands,
    private readonly grantQueries: GrantQueries,
  ) {}

  tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    return this.isLicense(arn) ? this.licenses.tag(caller, arn, tags) : this.grants.tag(caller, arn, tags);
  }

  untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    return this.isLicense(arn) ? this.licenses.untag(caller, arn, tagKeys) : this.grants.untag(caller, arn, tagKeys);
  }

  tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    return this.isLicense(arn) ? this.licenseQueries.tags(caller, arn) : this.grantQueries.tags(caller, arn);
  }

  /** A licence ARN or a grant ARN; anything else names no resource of this service. */
  private isLicense(arn: string): boolean {
    if (parseLicenseArn(arn)) return true;
    if (parseGrantArn(arn)) return false;
    throw resourceNotFound(`Resource ${arn}`);
  }
}

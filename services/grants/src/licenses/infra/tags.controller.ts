import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GrantCommands } from '../../grants/application/grant.commands';
import { GrantQueries } from '../../grants/application/grant.queries';
import { LicenseCommands } from '../application/license.commands';
import { LicenseQueries } from '../application/license.queries';
import { parseGrantArn } from '../../grants/domain/arn';
import { resourceNotFound } from '@lm/contracts';
import { parseLicenseArn } from '../domain/arn';
import { operations, type Request } from '@lm/service-kit';

const { subject } = operations('grants');

/** Which of this service's resources an ARN names; the gateway sends here the tag operations of licence and grant ARNs. */
function resourceOf(arn: string): 'license' | 'grant' {
  if (parseLicenseArn(arn)) return 'license';
  if (parseGrantArn(arn)) return 'grant';
  throw resourceNotFound(`Resource ${arn}`);
}

/** Tagging of licences (by their issuer) and grants (by their grantor). */
@Controller()
export class TagsController {
  constructor(
    private readonly licenses: LicenseCommands,
    private readonly licenseQueries: LicenseQueries,
    private readonly grants: GrantCommands,
    private readonly grantQueries: GrantQueries,
  ) {}

  @MessagePattern(subject('TagResource'))
  async tag(@Payload() { caller, input }: Request<'TagResource'>) {
    const arn = input.ResourceArn;
    await (resourceOf(arn) === 'license'
      ? this.licenses.tag(caller, arn, input.Tags)
      : this.grants.tag(caller, arn, input.Tags));
    return {};
  }

  @MessagePattern(subject('UntagResource'))
  async untag(@Payload() { caller, input }: Request<'UntagResource'>) {
    const arn = input.ResourceArn;
    await (resourceOf(arn) === 'license'
      ? this.licenses.untag(caller, arn, input.TagKeys)
      : this.grants.untag(caller, arn, input.TagKeys));
    return {};
  }

  @MessagePattern(subject('ListTagsForResource'))
  listTags(@Payload() { caller, input }: Request<'ListTagsForResource'>) {
    const arn = input.ResourceArn;
    return resourceOf(arn) === 'license' ? this.licenseQueries.tags(caller, arn) : this.grantQueries.tags(caller, arn);
  }
}

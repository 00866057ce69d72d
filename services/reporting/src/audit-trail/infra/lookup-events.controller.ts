import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { AuditEventsQueries } from '../application/audit-events.queries';

const { subject } = operations('reporting');

/** CloudTrail's LookupEvents over the caller's audit trail. */
@Controller()
export class LookupEventsController {
  constructor(private readonly queries: AuditEventsQueries) {}

  @MessagePattern(subject('LookupEvents'))
  lookup(@Payload() { caller, input }: Request<'LookupEvents', 'cloudtrail'>) {
    return this.queries.lookup(caller, input);
  }
}

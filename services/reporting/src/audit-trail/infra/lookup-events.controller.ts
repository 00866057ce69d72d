import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { LookupEventsQuery } from '../application/lookup-events.query';

const { subject } = operations('reporting');

/** CloudTrail's LookupEvents over the caller's audit trail. */
@Controller()
export class LookupEventsController {
  constructor(private readonly query: LookupEventsQuery) {}

  @MessagePattern(subject('LookupEvents'))
  lookup(@Payload() { caller, input }: Request<'LookupEvents', 'cloudtrail'>) {
    return this.query.lookup(caller, input);
  }
}

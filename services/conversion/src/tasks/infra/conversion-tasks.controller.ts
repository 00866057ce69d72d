import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { ConversionTaskCommands } from '../application/conversion-task.commands';
import { ConversionTaskQueries } from '../application/conversion-task.queries';

const { subject } = operations('conversion');

/** The three license type conversion operations of license-manager. */
@Controller()
export class ConversionTasksController {
  constructor(
    private readonly commands: ConversionTaskCommands,
    private readonly queries: ConversionTaskQueries,
  ) {}

  @MessagePattern(subject('CreateLicenseConversionTaskForResource'))
  create(@Payload() { caller, input }: Request<'CreateLicenseConversionTaskForResource'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('GetLicenseConversionTask'))
  get(@Payload() { caller, input }: Request<'GetLicenseConversionTask'>) {
    return this.queries.get(caller, input);
  }

  @MessagePattern(subject('ListLicenseConversionTasks'))
  list(@Payload() { caller, input }: Request<'ListLicenseConversionTasks'>) {
    return this.queries.list(caller, input);
  }
}

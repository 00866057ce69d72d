import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { ReportGeneratorCommands } from '../application/report-generator.commands';
import { ReportGeneratorQueries } from '../application/report-generator.queries';

const { subject } = operations('reporting');

/** The report-generator operations (their tags are served by the chassis's tag operations controller). */
@Controller()
export class ReportGeneratorsController {
  constructor(
    private readonly commands: ReportGeneratorCommands,
    private readonly queries: ReportGeneratorQueries,
  ) {}

  @MessagePattern(subject('CreateLicenseManagerReportGenerator'))
  create(@Payload() { caller, input }: Request<'CreateLicenseManagerReportGenerator'>) {
    return this.commands.create(caller, input);
  }

  @MessagePattern(subject('GetLicenseManagerReportGenerator'))
  get(@Payload() { caller, input }: Request<'GetLicenseManagerReportGenerator'>) {
    return this.queries.get(caller, input.LicenseManagerReportGeneratorArn);
  }

  @MessagePattern(subject('ListLicenseManagerReportGenerators'))
  list(@Payload() { caller, input }: Request<'ListLicenseManagerReportGenerators'>) {
    return this.queries.list(caller, input);
  }

  @MessagePattern(subject('UpdateLicenseManagerReportGenerator'))
  async update(@Payload() { caller, input }: Request<'UpdateLicenseManagerReportGenerator'>) {
    await this.commands.update(caller, input);
    return {};
  }

  @MessagePattern(subject('DeleteLicenseManagerReportGenerator'))
  async delete(@Payload() { caller, input }: Request<'DeleteLicenseManagerReportGenerator'>) {
    await this.commands.delete(caller, input.LicenseManagerReportGeneratorArn);
    return {};
  }
}

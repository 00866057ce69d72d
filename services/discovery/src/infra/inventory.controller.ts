import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { operations, type Request } from '@lm/service-kit';
import { InventoryReports } from '../application/inventory-resource.commands';
import { InventoryQueries } from '../application/inventory-resource.queries';

const { subject } = operations('discovery');

/** NATS handlers of the inventory operations the gateway forwards. */
@Controller()
export class InventoryController {
  constructor(
    private readonly reports: InventoryReports,
    private readonly queries: InventoryQueries,
  ) {}

  @MessagePattern(subject('ReportResources'))
  report(@Payload() { caller, input }: Request<'ReportResources'>) {
    return this.reports.report({ kind: 'caller', caller }, input);
  }

  @MessagePattern(subject('ListResourceInventory'))
  list(@Payload() { caller, input }: Request<'ListResourceInventory'>) {
    return this.queries.list(caller, input);
  }
}

import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DescribeInventoryResourcesRequest } from '@lm/contracts';
import { operationSubject } from '@lm/messaging';
import { InventoryDescriptions } from '../application/inventory-description.queries';

/** The internal operation other services ask over NATS (no client calls it through the gateway). */
@Controller()
export class InventoryDescriptionController {
  constructor(private readonly descriptions: InventoryDescriptions) {}

  @MessagePattern(operationSubject('discovery', 'DescribeInventoryResources'))
  describe(@Payload() { input }: DescribeInventoryResourcesRequest) {
    return this.descriptions.describe(input);
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AwsError,
  type DescribeInventoryResourcesRequest,
  type DescribeInventoryResourcesResponse,
  type InventoryEventMessage,
  type InventoryViewer,
} from '@lm/contracts';
import { NoRespondersError, OperationClient, OperationTimeoutError, operationSubject } from '@lm/messaging';
import type { InventoryDirectory } from '../application/inventory-directory';

/** Discovery's DescribeInventoryResources, asked over NATS request/reply. */
@Injectable()
export class NatsInventoryDirectory implements InventoryDirectory {
  constructor(private readonly client: OperationClient) {}

  async describe(viewer: InventoryViewer, resourceArns: string[]): Promise<InventoryEventMessage[]> {
    const request: DescribeInventoryResourcesRequest = {
      requestId: randomUUID(),
      // Only what scopes the answer: callers pass richer objects (a Caller, a resource's facts).
      input: {
        Viewer: { accountId: viewer.accountId, region: viewer.region, organization: viewer.organization },
        ResourceArns: resourceArns,
      },
    };
    try {
      const reply = await this.client.call(operationSubject('discovery', 'DescribeInventoryResources'), request);
      if (!reply.ok) throw new AwsError(reply.error.name, reply.error.message, reply.error.fields);
      return (reply.output as DescribeInventoryResourcesResponse).Events;
    } catch (error) {
      // Not knowing is not "not in the inventory": discovery may have accepted the resource just before it went down.
      if (error instanceof NoRespondersError || error instanceof OperationTimeoutError)
        throw new AwsError(
          'ServerInternalException',
          'The inventory could not be asked about the resource; try again.',
        );
      throw error;
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import { validation, type Caller } from '@lm/contracts';
import { pageOf, REGION } from '@lm/service-kit';
import { listFilters, pagingOf } from '../../shared/list-filters';
import { INSTANCE_STATUSES, type InstanceStatus } from '../domain/instance';
import { UserSubscriptionInstances, type UserSubscriptionInstance } from './user-subscription-instances';

/** ListInstances' filters (the model's documentation): Status, InstanceId. */
const FILTERS = { Status: 'status', InstanceId: 'instanceId' } as const;
const PAGES = { defaultSize: 50, maxSize: 100, invalidTokenError: 'ValidationException' };

/** The caller's user-subscription instances, with their products and health. */
@Injectable()
export class InstanceQueries {
  constructor(
    private readonly instances: UserSubscriptionInstances,
    @Inject(REGION) private readonly region: string,
  ) {}

  async list(
    caller: Caller,
    input: UserSubscriptions.ListInstancesRequest,
  ): Promise<UserSubscriptions.ListInstancesResponse> {
    const criteria: { status?: InstanceStatus; instanceId?: string } = {};
    for (const [column, value] of listFilters(input.Filters, FILTERS)) {
      if (column === 'status' && !Object.hasOwn(INSTANCE_STATUSES.transitions, value))
        throw validation(`Status ${value} is not one of ${Object.keys(INSTANCE_STATUSES.transitions).join(', ')}.`);
      criteria[column] = value as InstanceStatus;
    }
    const page = pageOf<{ instanceId: string; directoryId: string }>(caller.accountId, pagingOf(input), PAGES);
    const rows = await this.instances.of(caller.accountId, this.region, {
      ...criteria,
      after: page.after,
      limit: page.limit + 1,
    });
    const { items, NextToken } = page.cut(rows, (row) => ({
      instanceId: row.instance.instanceId,
      directoryId: row.directoryId,
    }));
    return { InstanceSummaries: items.map(toInstanceSummary), NextToken };
  }
}

function toInstanceSummary(row: UserSubscriptionInstance): UserSubscriptions.InstanceSummary {
  const { instance } = row;
  return {
    InstanceId: instance.instanceId,
    Status: instance.status,
    Products: row.products,
    LastStatusCheckDate: row.lastStatusCheck,
    StatusMessage: instance.statusMessage,
    OwnerAccountId: instance.accountId,
    IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: row.directoryId } },
  };
}

import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Extensions, LicenseManager } from '@lm/api-model';
import { invalidParameterValue, resourceArn, resourceNotFound, validation, type Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { InventoryInstances } from '../../inventory/application/inventory-instances';
import type { InstanceFacts } from '../../shared/instance-facts';
import { CONVERSION_SCHEMA } from '../../shared/schema';
import type { ConversionTaskCommand } from '../domain/commands';
import { invalidStateMessage } from '../domain/conversion-matrix';
import type { ConversionTask } from '../domain/conversion-task';
import { conversionTasksDecider, conversionTasksStream } from '../domain/decide';
import { instanceOfArn, licenseContextOf } from '../domain/license-context';
import type { ConversionTaskViews } from './conversion-task.views';

const newTaskId = () => `lct-${randomBytes(16).toString('hex')}`;

/**
 * License type conversions: a caller's request, checked against the copy of the inventory and the
 * matrix, starts a task IN_PROGRESS (LicenseConversionRequested is the integrator's work); the
 * inventory showing the destination, the integrator's report or the timeout ends it.
 */
@Injectable()
export class ConversionTaskCommands {
  private readonly db: Kysely<ConversionTaskViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<ConversionTaskViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
    private readonly inventory: InventoryInstances,
  ) {
    this.db = db.withSchema(CONVERSION_SCHEMA);
  }

  async create(
    caller: Caller,
    input: LicenseManager.CreateLicenseConversionTaskForResourceRequest,
  ): Promise<LicenseManager.CreateLicenseConversionTaskForResourceResponse> {
    const named = instanceOfArn(input.ResourceArn);
    const source = licenseContextOf(input.SourceLicenseContext, 'SourceLicenseContext');
    const destination = licenseContextOf(input.DestinationLicenseContext, 'DestinationLicenseContext');
    // Another account's or Region's instance, or one the inventory does not have: the guide's refusal.
    const instance =
      named.accountId === caller.accountId && named.region === this.region
        ? await this.inventory.factsOf(caller.accountId, this.region, named.resourceId)
        : undefined;
    if (!instance) throw invalidParameterValue(invalidStateMessage(named.resourceId));
    const taskId = newTaskId();
    const task = {
      taskId,
      accountId: caller.accountId,
      region: this.region,
      resourceArn: input.ResourceArn,
      resourceId: named.resourceId,
    };
    await this.decide(task, { type: 'StartConversion', task, instance, source, destination, now: this.clock.now() });
    return { LicenseConversionTaskId: taskId };
  }

  /** ReportConversionResult: from a signed caller, about its own tasks; from the bus (no caller), for the task's account. */
  async report(
    caller: Caller | undefined,
    input: Extensions.ReportConversionResultRequest,
  ): Promise<Extensions.ReportConversionResultResponse> {
    if (!input.Succeeded && !input.StatusMessage)
      throw validation('A failed conversion is reported with its StatusMessage.');
    const task = await this.taskNamed(input.LicenseConversionTaskId);
    const accountId = caller?.accountId ?? task?.accountId;
    if (!task || task.accountId !== accountId)
      throw resourceNotFound(`License conversion task ${input.LicenseConversionTaskId}`);
    const result = input.Succeeded
      ? ({ succeeded: true } as const)
      : ({ succeeded: false, statusMessage: input.StatusMessage! } as const);
    const state = await this.decide(task, {
      type: 'ReportConversionResult',
      taskId: task.taskId,
      accountId,
      result,
      now: this.clock.now(),
    });
    return { LicenseConversionTaskId: task.taskId, Status: state.tasks[task.taskId].status };
  }

  /** Discovery reported an instance: a conversion in progress on it succeeds once it shows the destination. */
  async observed(key: { accountId: string; region: string }, instance: InstanceFacts): Promise<void> {
    const task = { ...key, resourceId: instance.resourceId };
    if (!(await this.inProgressOn(task))) return;
    await this.decide(task, {
      type: 'ObserveInstance',
      usageOperation: instance.usageOperation,
      productCodes: instance.productCodes,
      observedAt: instance.observedAt,
      now: this.clock.now(),
    });
  }

  /** Fails the tasks in progress for `timeoutMs` or more; returns how many were due. */
  async expire(timeoutMs: number): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('conversion_tasks')
      .select('task')
      .where('status', '=', 'IN_PROGRESS')
      .where('start_time', '<=', new Date(now.getTime() - timeoutMs))
      .execute();
    for (const { task } of due) await this.decide(task, { type: 'CheckTimeout', timeoutMs, now });
    return due.length;
  }

  private async inProgressOn(key: { accountId: string; region: string; resourceId: string }): Promise<boolean> {
    const row = await this.db
      .selectFrom('conversion_tasks')
      .select('task_id')
      .where('resource_arn', '=', resourceArn('EC2_INSTANCE', key.region, key.accountId, key.resourceId))
      .where('status', '=', 'IN_PROGRESS')
      .executeTakeFirst();
    return row !== undefined;
  }

  private async taskNamed(taskId: string): Promise<ConversionTask | undefined> {
    const row = await this.db
      .selectFrom('conversion_tasks')
      .select('task')
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    return row?.task;
  }

  private async decide(
    task: { accountId: string; region: string; resourceId: string },
    command: ConversionTaskCommand,
  ) {
    const { state } = await handleCommand(this.store, conversionTasksStream(task), conversionTasksDecider, command);
    return state;
  }
}

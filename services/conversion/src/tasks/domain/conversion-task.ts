import type { LicenseManager } from '@lm/api-model';
import type { ConversionTaskRef, LicenseContext } from '@lm/contracts';
import type { ConversionTaskEvent } from './events';

export type ConversionTaskStatus = LicenseManager.LicenseConversionTaskStatus;

/** One license type conversion task; instants are ISO strings (kept as JSON in the view). */
export interface ConversionTask extends ConversionTaskRef {
  source: LicenseContext;
  destination: LicenseContext;
  /** The destination's License Included values (the matrix's). */
  licenseIncluded: string[];
  status: ConversionTaskStatus;
  statusMessage?: string;
  startTime: string;
  licenseConversionTime?: string;
  endTime?: string;
}

/** The stream of one instance's conversions: every task, at most one IN_PROGRESS. */
export interface ConversionTasksState {
  tasks: Record<string, ConversionTask>;
}

export const initialConversionTasksState = (): ConversionTasksState => ({ tasks: {} });

export const inProgressTask = (state: ConversionTasksState): ConversionTask | undefined =>
  Object.values(state.tasks).find((task) => task.status === 'IN_PROGRESS');

/** A task after one of its events (also how the projection folds its row). */
export function evolveConversionTask(task: ConversionTask | undefined, event: ConversionTaskEvent): ConversionTask {
  switch (event.type) {
    case 'LicenseConversionTaskStarted': {
      const { taskId, accountId, region, resourceArn, resourceId, source, destination, licenseIncluded, startTime } =
        event.data;
      return {
        ...{ taskId, accountId, region, resourceArn, resourceId, source, destination, licenseIncluded, startTime },
        status: 'IN_PROGRESS',
      };
    }
    case 'LicenseConversionRequested':
      return task!;
    case 'LicenseConversionSucceeded':
      return {
        ...task!,
        status: 'SUCCEEDED',
        statusMessage: undefined,
        licenseConversionTime: event.data.licenseConversionTime,
        endTime: event.data.endTime,
      };
    case 'LicenseConversionFailed':
      return { ...task!, status: 'FAILED', statusMessage: event.data.statusMessage, endTime: event.data.endTime };
  }
}

export function evolveConversionTasks(state: ConversionTasksState, event: ConversionTaskEvent): ConversionTasksState {
  const { taskId } = event.data;
  return { tasks: { ...state.tasks, [taskId]: evolveConversionTask(state.tasks[taskId], event) } };
}

const toContext = (context: LicenseContext): LicenseManager.LicenseConversionContext => ({
  UsageOperation: context.usageOperation,
  ProductCodes:
    context.productCodes.length > 0
      ? context.productCodes.map((id) => ({ ProductCodeId: id, ProductCodeType: 'marketplace' }))
      : undefined,
});

const seconds = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);

/** The task as the API's LicenseConversionTask (and GetLicenseConversionTask's output) tells it. */
export function toLicenseConversionTask(task: ConversionTask): LicenseManager.LicenseConversionTask {
  return {
    LicenseConversionTaskId: task.taskId,
    ResourceArn: task.resourceArn,
    SourceLicenseContext: toContext(task.source),
    DestinationLicenseContext: toContext(task.destination),
    Status: task.status,
    StatusMessage: task.statusMessage,
    StartTime: seconds(task.startTime),
    LicenseConversionTime: seconds(task.licenseConversionTime),
    EndTime: seconds(task.endTime),
  };
}

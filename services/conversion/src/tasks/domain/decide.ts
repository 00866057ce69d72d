import type { Decider } from '@lm/event-store';
import { conflict, invalidParameterValue, resourceNotFound, type ConversionTaskRef } from '@lm/contracts';
import type { ConversionTaskCommand } from './commands';
import { conversionPathFor, showsLicenseType } from './conversion-matrix';
import {
  evolveConversionTasks,
  initialConversionTasksState,
  inProgressTask,
  type ConversionTask,
  type ConversionTasksState,
} from './conversion-task';
import type { ConversionTaskEvent } from './events';

/** The guide's failure when stop protection keeps the instance from being stopped. */
export const stopProtectionMessage = (resourceId: string) =>
  `EC2 instance ${resourceId} failed to stop. Ensure that you have permissions for EC2 StopInstances.`;

export const timeoutMessage = (timeoutMs: number) =>
  `No result of the license type conversion was reported within ${Math.round(timeoutMs / 1000)} seconds.`;

const refOf = ({ taskId, accountId, region, resourceArn, resourceId }: ConversionTask): ConversionTaskRef => ({
  taskId,
  accountId,
  region,
  resourceArn,
  resourceId,
});

function succeeded(task: ConversionTask, at: string, now: Date): ConversionTaskEvent[] {
  return [
    {
      type: 'LicenseConversionSucceeded',
      data: {
        ...refOf(task),
        destination: task.destination,
        licenseIncluded: task.licenseIncluded,
        licenseConversionTime: at,
        endTime: now.toISOString(),
      },
    },
  ];
}

const failed = (
  task: ConversionTaskRef,
  cause: 'StopProtection' | 'Integrator' | 'Timeout',
  statusMessage: string,
  now: Date,
): ConversionTaskEvent => ({
  type: 'LicenseConversionFailed',
  data: { ...task, cause, statusMessage, endTime: now.toISOString() },
});

/**
 * An integrator's result: SUCCEEDED at once or FAILED with its message. The result a task already
 * ended with, reported again, changes nothing; the other one is a conflict.
 */
function reported(
  state: ConversionTasksState,
  command: Extract<ConversionTaskCommand, { type: 'ReportConversionResult' }>,
): ConversionTaskEvent[] {
  const task = state.tasks[command.taskId];
  if (!task || task.accountId !== command.accountId)
    throw resourceNotFound(`License conversion task ${command.taskId}`);
  const wanted = command.result.succeeded ? 'SUCCEEDED' : 'FAILED';
  if (task.status === wanted) return [];
  if (task.status !== 'IN_PROGRESS')
    throw conflict(`License conversion task ${task.taskId} has already ended ${task.status}.`);
  if (command.result.succeeded) return succeeded(task, command.now.toISOString(), command.now);
  return [failed(refOf(task), 'Integrator', command.result.statusMessage, command.now)];
}

export function decideConversionTasks(
  command: ConversionTaskCommand,
  state: ConversionTasksState,
): ConversionTaskEvent[] {
  switch (command.type) {
    case 'StartConversion': {
      const { task, instance, source, destination, now } = command;
      const running = inProgressTask(state);
      if (running)
        throw invalidParameterValue(
          `A license type conversion of ${instance.resourceId} is already in progress (${running.taskId}).`,
        );
      const path = conversionPathFor(instance, source, destination);
      const started = { ...task, source, destination, startTime: now.toISOString() };
      return [
        { type: 'LicenseConversionTaskStarted', data: { ...started, licenseIncluded: path.licenseIncluded } },
        // The guide: with stop protection on, the conversion fails (the instance cannot be stopped).
        instance.stopProtection === true
          ? failed(task, 'StopProtection', stopProtectionMessage(instance.resourceId), now)
          : { type: 'LicenseConversionRequested', data: started },
      ];
    }
    case 'ObserveInstance': {
      const task = inProgressTask(state);
      if (!task || command.observedAt < task.startTime || !showsLicenseType(command, task.destination)) return [];
      return succeeded(task, command.observedAt, command.now);
    }
    case 'ReportConversionResult':
      return reported(state, command);
    case 'CheckTimeout': {
      const task = inProgressTask(state);
      if (!task || Date.parse(task.startTime) + command.timeoutMs > command.now.getTime()) return [];
      return [failed(refOf(task), 'Timeout', timeoutMessage(command.timeoutMs), command.now)];
    }
  }
}

export const conversionTasksDecider: Decider<ConversionTaskCommand, ConversionTaskEvent, ConversionTasksState> = {
  initialState: initialConversionTasksState,
  evolve: evolveConversionTasks,
  decide: decideConversionTasks,
};

/** One stream per instance: two racing conversions of one instance cannot both start. */
export const conversionTasksStream = (task: Pick<ConversionTaskRef, 'accountId' | 'region' | 'resourceId'>) =>
  `license-conversions-${task.accountId}-${task.region}-${task.resourceId}`;

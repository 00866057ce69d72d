import { Injectable } from '@nestjs/common';
import { answerExtensionsOperation, type NatsEndpoint } from '@lm/service-kit';
import type { Msg } from 'nats';
import { ConversionTaskCommands } from '../application/conversion-task.commands';

/**
 * lm.conversion.ReportConversionResult, as licensing serves AuthorizeLaunch
 * (answerExtensionsOperation): the gateway asks for a signed integrator (its own account's tasks);
 * integrators on NATS send the ReportConversionResultRequest as plain JSON (trusted for the task's account).
 */
@Injectable()
export class ConversionResultEndpoint implements NatsEndpoint {
  constructor(private readonly commands: ConversionTaskCommands) {}

  handle(msg: Msg): Promise<void> {
    return answerExtensionsOperation(msg, 'ReportConversionResult', (caller, input) =>
      this.commands.report(caller, input),
    );
  }
}

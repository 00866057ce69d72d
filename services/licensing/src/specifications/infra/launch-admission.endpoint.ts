import { Injectable } from '@nestjs/common';
import { answerExtensionsOperation, type NatsEndpoint } from '@lm/service-kit';
import type { Msg } from 'nats';
import { LaunchAdmission } from '../application/launch-admission.commands';

/**
 * lm.licensing.AuthorizeLaunch, for two kinds of askers: the gateway, on behalf of a signed
 * caller, and orchestrators on NATS, which send the AuthorizeLaunchRequest as plain JSON
 * (answerExtensionsOperation). The chassis serves it in the service's queue group, so replicas
 * share the load.
 */
@Injectable()
export class LaunchAdmissionEndpoint implements NatsEndpoint {
  constructor(private readonly admission: LaunchAdmission) {}

  handle(msg: Msg): Promise<void> {
    return answerExtensionsOperation(msg, 'AuthorizeLaunch', (caller, input) =>
      this.admission.authorize(caller, input),
    );
  }
}

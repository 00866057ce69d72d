import { Injectable } from '@nestjs/common';
import { answerExtensionsOperation, type NatsEndpoint } from '@lm/service-kit';
import type { Msg } from 'nats';
import { LicenseServerEndpointCommands } from '../application/license-server-endpoint.commands';

/**
 * lm.user-subscriptions.ReportLicenseServers, as licensing serves AuthorizeLaunch
 * (answerExtensionsOperation): the gateway asks for a signed integrator (its own account's
 * endpoints); integrators on NATS send the ReportLicenseServersRequest as plain JSON (trusted for
 * the account the ARN names).
 */
@Injectable()
export class LicenseServerReportEndpoint implements NatsEndpoint {
  constructor(private readonly commands: LicenseServerEndpointCommands) {}

  handle(msg: Msg): Promise<void> {
    return answerExtensionsOperation(msg, 'ReportLicenseServers', (caller, input) =>
      this.commands.report(caller, input),
    );
  }
}

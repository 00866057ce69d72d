import { Injectable, Logger } from '@nestjs/common';
import { apiModels, validateInput, validationMessage, type Extensions } from '@lm/api-model';
import { validation, type OperationError, type OperationRequest } from '@lm/contracts';
import { toOperationError, type NatsEndpoint } from '@lm/service-kit';
import { JSONCodec, type Msg } from 'nats';
import { LicenseServerEndpointCommands } from '../application/license-server-endpoint.commands';

const codec = JSONCodec<unknown>();
const extensions = apiModels['license-manager-extensions'];

/** The packet @nestjs/microservices (and so the gateway) sends: `data` is an OperationRequest. */
interface RequestPacket {
  pattern: string;
  id: string;
  data: OperationRequest<Extensions.ReportLicenseServersRequest>;
}

const isRequestPacket = (value: unknown): value is RequestPacket =>
  typeof value === 'object' && value !== null && 'pattern' in value && 'id' in value && 'data' in value;

/**
 * lm.user-subscriptions.ReportLicenseServers, as licensing serves AuthorizeLaunch: the gateway
 * sends the packets of @nestjs/microservices for a signed integrator (its own account's
 * endpoints); integrators on NATS send the ReportLicenseServersRequest as plain JSON (trusted for
 * the account the ARN names) and get the answer, or `{__type, message}`, as plain JSON.
 */
@Injectable()
export class LicenseServerReportEndpoint implements NatsEndpoint {
  private readonly logger = new Logger('ReportLicenseServers');

  constructor(private readonly commands: LicenseServerEndpointCommands) {}

  async handle(msg: Msg): Promise<void> {
    let body: unknown;
    try {
      body = codec.decode(msg.data);
    } catch {
      msg.respond(codec.encode({ __type: 'ValidationException', message: 'The report is not valid JSON.' }));
      return;
    }
    const packet = isRequestPacket(body) ? body : undefined;
    try {
      let output: Extensions.ReportLicenseServersResponse;
      if (packet) {
        output = await this.commands.report(packet.data.caller, packet.data.input);
      } else {
        const issues = validateInput(extensions, 'ReportLicenseServersRequest', body);
        if (issues.length > 0) throw validation(validationMessage(issues));
        output = await this.commands.report(undefined, body as Extensions.ReportLicenseServersRequest);
      }
      msg.respond(codec.encode(packet ? { id: packet.id, response: output, isDisposed: true } : output));
    } catch (exception) {
      const error: OperationError = toOperationError(exception, this.logger);
      msg.respond(
        codec.encode(
          packet ? { id: packet.id, err: error, isDisposed: true } : { __type: error.name, message: error.message },
        ),
      );
    }
  }
}

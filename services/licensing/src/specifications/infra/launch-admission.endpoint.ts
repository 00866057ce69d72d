import { Injectable, Logger } from '@nestjs/common';
import { apiModels, validateInput, validationMessage, type Extensions } from '@lm/api-model';
import { validation, type OperationError, type OperationRequest } from '@lm/contracts';
import { toOperationError, type NatsEndpoint } from '@lm/service-kit';
import { JSONCodec, type Msg } from 'nats';
import { LaunchAdmission } from '../application/launch-admission.commands';

const codec = JSONCodec<unknown>();
const extensions = apiModels['license-manager-extensions'];

/** The packet @nestjs/microservices (and so the gateway) sends: `data` is an OperationRequest. */
interface RequestPacket {
  pattern: string;
  id: string;
  data: OperationRequest<Extensions.AuthorizeLaunchRequest>;
}

const isRequestPacket = (value: unknown): value is RequestPacket =>
  typeof value === 'object' && value !== null && 'pattern' in value && 'id' in value && 'data' in value;

/**
 * lm.licensing.AuthorizeLaunch, for two kinds of askers: the gateway, which sends the packets of
 * @nestjs/microservices on behalf of a signed caller, and orchestrators on NATS, which send the
 * AuthorizeLaunchRequest as plain JSON and get the answer (or `{__type, message}`) as plain JSON.
 * The chassis serves it in the service's queue group, so replicas share the load.
 */
@Injectable()
export class LaunchAdmissionEndpoint implements NatsEndpoint {
  private readonly logger = new Logger('AuthorizeLaunch');

  constructor(private readonly admission: LaunchAdmission) {}

  async handle(msg: Msg): Promise<void> {
    let body: unknown;
    try {
      body = codec.decode(msg.data);
    } catch {
      msg.respond(codec.encode({ __type: 'ValidationException', message: 'The request is not valid JSON.' }));
      return;
    }
    const packet = isRequestPacket(body) ? body : undefined;
    try {
      let output: Extensions.AuthorizeLaunchResponse;
      if (packet) {
        output = await this.admission.authorize(packet.data.caller, packet.data.input);
      } else {
        const issues = validateInput(extensions, 'AuthorizeLaunchRequest', body);
        if (issues.length > 0) throw validation(validationMessage(issues));
        output = await this.admission.authorize(undefined, body as Extensions.AuthorizeLaunchRequest);
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

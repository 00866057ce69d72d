import { Logger } from '@nestjs/common';
import { apiModels, validateInput, validationMessage, type Extensions } from '@lm/api-model';
import { operationSubject } from '@lm/messaging';
import { type OperationError, type OperationRequest } from '@lm/contracts';
import { toOperationError } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import { JSONCodec, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { LaunchAdmission } from '../application/launch-admission';
import { SERVICE_NAME } from './licensing-infrastructure';

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
 * One subscription in the service's queue group serves both, so replicas share the load.
 */
export function serveLaunchAdmission(nc: NatsConnection, admission: LaunchAdmission): Subscription {
  const logger = new Logger('AuthorizeLaunch');
  return nc.subscribe(operationSubject(SERVICE_NAME, 'AuthorizeLaunch'), {
    queue: SERVICE_NAME,
    callback: (_error, msg) => void answer(msg, admission, logger),
  });
}

async function answer(msg: Msg, admission: LaunchAdmission, logger: Logger): Promise<void> {
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
      output = await admission.authorize(packet.data.caller, packet.data.input);
    } else {
      const issues = validateInput(extensions, 'AuthorizeLaunchRequest', body);
      if (issues.length > 0) throw new AwsError('ValidationException', validationMessage(issues));
      output = await admission.authorize(undefined, body as Extensions.AuthorizeLaunchRequest);
    }
    msg.respond(codec.encode(packet ? { id: packet.id, response: output, isDisposed: true } : output));
  } catch (exception) {
    const error: OperationError = toOperationError(exception, logger);
    msg.respond(
      codec.encode(
        packet ? { id: packet.id, err: error, isDisposed: true } : { __type: error.name, message: error.message },
      ),
    );
  }
}

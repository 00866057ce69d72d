import { Logger } from '@nestjs/common';
import { apiModels, validateInput, validationMessage, type Extensions } from '@lm/api-model';
import { validation, type Caller, type OperationError, type OperationRequest } from '@lm/contracts';
import { type Msg } from 'nats';
import { toOperationError } from './operation-exception.filter';
import { ExactJSONCodec } from '@lm/messaging';

type ExtensionsOperation = keyof Extensions.Operations;
type InputOf<Op extends ExtensionsOperation> = Extensions.Operations[Op]['input'];
type OutputOf<Op extends ExtensionsOperation> = Extensions.Operations[Op]['output'];

const codec = ExactJSONCodec<unknown>();
const extensions = apiModels['license-manager-extensions'];

/** The packet @nestjs/microservices (and so the gateway) sends: `data` is an OperationRequest. */
interface RequestPacket<Input> {
  pattern: string;
  id: string;
  data: OperationRequest<Input>;
}

const isRequestPacket = (value: unknown): value is RequestPacket<unknown> =>
  typeof value === 'object' && value !== null && 'pattern' in value && 'id' in value && 'data' in value;

/**
 * Answers one message of an extensions API operation served by hand (a NatsEndpoint), for two
 * kinds of askers: the gateway, which sends the packets of @nestjs/microservices with the caller
 * its SigV4 check verified (input validated there too) and gets a packet back; and systems on NATS, which send
 * the operation's request as plain JSON, validated here against the model, and get the output or
 * `{__type, message}` as plain JSON. `serve` is given no caller for them: the service decides
 * what such a request may do.
 */
export async function answerExtensionsOperation<Op extends ExtensionsOperation>(
  msg: Msg,
  operation: Op,
  serve: (caller: Caller | undefined, input: InputOf<Op>) => Promise<OutputOf<Op>>,
): Promise<void> {
  let body: unknown;
  try {
    body = codec.decode(msg.data);
  } catch {
    msg.respond(codec.encode({ __type: 'ValidationException', message: 'The request is not valid JSON.' }));
    return;
  }
  const packet = isRequestPacket(body) ? (body as RequestPacket<InputOf<Op>>) : undefined;
  try {
    let output: OutputOf<Op>;
    if (packet) {
      output = await serve(packet.data.caller, packet.data.input);
    } else {
      const issues = validateInput(extensions, extensions.operations[operation].input!, body);
      if (issues.length > 0) throw validation(validationMessage(issues));
      output = await serve(undefined, body as InputOf<Op>);
    }
    msg.respond(codec.encode(packet ? { id: packet.id, response: output, isDisposed: true } : output));
  } catch (exception) {
    const error: OperationError = toOperationError(exception, new Logger(operation));
    msg.respond(
      codec.encode(
        packet ? { id: packet.id, err: error, isDisposed: true } : { __type: error.name, message: error.message },
      ),
    );
  }
}

import { randomUUID } from 'node:crypto';
import { ErrorCode, type NatsConnection, type NatsError } from 'nats';
import type { AnonymousOperationRequest, OperationError, OperationRequest } from '@lm/contracts';
import { ExactJSONCodec } from './exact-json-codec';

export type OperationReply = { ok: true; output: unknown } | { ok: false; error: OperationError };

/** No instance of the service that owns the subject is connected. */
export class NoRespondersError extends Error {
  constructor(readonly subject: string) {
    super(`no service answers ${subject}`);
  }
}

export class OperationTimeoutError extends Error {
  constructor(readonly subject: string) {
    super(`${subject} did not answer in time`);
  }
}

interface NestReplyPacket {
  id: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const codec = ExactJSONCodec();

/**
 * Calls an operation on the service that owns it. Speaks the packet format of
 * @nestjs/microservices' NATS transport, but uses a plain NATS request so that a
 * subject without any responder fails at once instead of waiting for a timeout.
 */
export class OperationClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 30_000,
  ) {}

  /**
   * Sends the request with its deadline (RequestDeadline): the service starts on it only before
   * then, which leaves a request started in time a grace (a quarter of the timeout, at most a
   * second) to be answered before this client stops waiting.
   */
  async call(subject: string, request: OperationRequest | AnonymousOperationRequest): Promise<OperationReply> {
    const id = randomUUID();
    const deadline = Date.now() + this.timeoutMs - Math.min(this.timeoutMs / 4, 1_000);
    let msg;
    try {
      msg = await this.nc.request(subject, codec.encode({ pattern: subject, data: { ...request, deadline }, id }), {
        timeout: this.timeoutMs,
      });
    } catch (error) {
      const code = (error as NatsError).code;
      if (code === ErrorCode.NoResponders) throw new NoRespondersError(subject);
      if (code === ErrorCode.Timeout) throw new OperationTimeoutError(subject);
      throw error;
    }
    const packet = codec.decode(msg.data) as NestReplyPacket;
    if (packet.err !== undefined && packet.err !== null) return { ok: false, error: toOperationError(packet.err) };
    return { ok: true, output: packet.response ?? {} };
  }
}

function toOperationError(err: unknown): OperationError {
  if (err && typeof err === 'object' && typeof (err as OperationError).name === 'string') {
    const { name, message, fields } = err as OperationError;
    return { name, message: String(message ?? ''), fields };
  }
  // Nest answers a handler that does not exist, or an unexpected exception, with a bare string/status.
  return { name: 'ServerInternalException', message: 'The service failed to process the request.' };
}

import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type { AnonymousOperationRequest, OperationError, OperationRequest } from '@lm/contracts';
import { ExactJSONCodec } from './exact-json-codec';
import { ReplyInbox } from './reply-inbox';

export type OperationReply = { ok: true; output: unknown } | { ok: false; error: OperationError };

interface NestReplyPacket {
  id: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const codec = ExactJSONCodec();

/**
 * Calls an operation on the service that owns it. Speaks the packet format of
 * @nestjs/microservices' NATS transport, but uses plain NATS request/reply so that a subject
 * without any responder fails at once instead of waiting for a timeout.
 *
 * The replies come to one inbox subscription of its own (ReplyInbox): NoRespondersError when
 * nothing serves the subject, OperationTimeoutError when the service does not answer in time.
 */
export class OperationClient {
  private readonly replies: ReplyInbox;

  constructor(
    nc: NatsConnection,
    private readonly timeoutMs = 30_000,
  ) {
    this.replies = new ReplyInbox(nc, timeoutMs);
  }

  /**
   * Sends the request with its deadline (RequestDeadline): the service starts on it only before
   * then, which leaves a request started in time a grace (a quarter of the timeout, at most a
   * second) to be answered before this client stops waiting.
   */
  async call(
    subject: string,
    request: OperationRequest | AnonymousOperationRequest,
    /** Where to send it: the subject itself (any replica), or one replica's (replicaSubject). */
    to = subject,
  ): Promise<OperationReply> {
    const id = randomUUID();
    const deadline = Date.now() + this.timeoutMs - Math.min(this.timeoutMs / 4, 1_000);
    const msg = await this.replies.request(to, codec.encode({ pattern: subject, data: { ...request, deadline }, id }));
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

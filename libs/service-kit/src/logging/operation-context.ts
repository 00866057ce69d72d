import type { ArgumentsHost } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';

/** Which request an operation handler is serving, for its log lines. */
export interface OperationContext {
  /** The gateway's request id (the client's x-amzn-RequestId), when the asker sent one. */
  requestId?: string;
  /** The last part of the subject: the operation's name. */
  operation: string;
}

/** The operation and request id of a request on `subject` carrying `data`. */
export function operationContext(subject: string, data: unknown): OperationContext {
  const requestId =
    typeof data === 'object' && data !== null && typeof (data as { requestId?: unknown }).requestId === 'string'
      ? (data as { requestId: string }).requestId
      : undefined;
  return { requestId, operation: subject.slice(subject.lastIndexOf('.') + 1) };
}

/** The operation and request id of the NATS message a `@MessagePattern` handler is serving. */
export function operationContextOf(host: ArgumentsHost): OperationContext {
  const rpc = host.switchToRpc();
  return operationContext(rpc.getContext<NatsContext>().getSubject(), rpc.getData());
}

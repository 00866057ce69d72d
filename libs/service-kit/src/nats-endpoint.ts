import { Logger, type Type } from '@nestjs/common';
import { isPastDeadline } from '@lm/contracts';
import { type Msg, type NatsConnection } from 'nats';
import { deadlineOf, lateRequest, withDeadline } from './late-request';
import { ExactJSONCodec, replicaSubject } from '@lm/messaging';

/** Answers the messages of a subject served by hand (see EndpointSpec). */
export interface NatsEndpoint {
  /** Answers one message (`msg.respond`); what it throws is logged. */
  handle(msg: Msg): Promise<void>;
}

/**
 * A NATS subject a service serves by hand rather than through a `@MessagePattern` controller
 * (plain-JSON askers, its own reply format). The chassis subscribes the handler (a provider
 * class) on its connection in the service's queue group (replicas share the load) and drains it
 * at shutdown, waiting for the messages in hand. An endpoint on an operation's subject counts as
 * handling that operation.
 */
export interface EndpointSpec {
  subject: string;
  handler: Type<NatsEndpoint>;
}

export interface ServedEndpoint {
  stop(): Promise<void>;
}

/**
 * `counted` is called with each message's outcome (the chassis counts operations with it). With a
 * `replica`, the endpoint is also served on that replica's own subject (replicaSubject), as
 * OperationServer serves the controllers' operations.
 */
export function serveEndpoint(
  nc: NatsConnection,
  queue: string,
  subject: string,
  endpoint: NatsEndpoint,
  counted: (failed: boolean) => void,
  replica?: string,
): ServedEndpoint {
  const logger = new Logger(endpoint.constructor.name);
  const inFlight = new Set<Promise<void>>();
  const callback = (error: Error | null, msg: Msg) => {
    if (error) {
      logger.error(`subscription to ${subject} failed: ${error.message}`);
      return;
    }
    const packet = requestPacketOf(msg);
    if (packet && isPastDeadline(packet.data)) {
      refuseAsLate(msg, packet, subject);
      counted(true);
      return;
    }
    const handled = withDeadline(deadlineOf(packet?.data), () => endpoint.handle(msg))
      .then(
        () => counted(false),
        (failure: unknown) => {
          counted(true);
          logger.error(failure instanceof Error ? (failure.stack ?? failure.message) : String(failure));
        },
      )
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  };
  const subscriptions = [nc.subscribe(subject, { queue, callback })];
  if (replica !== undefined) subscriptions.push(nc.subscribe(replicaSubject(replica, subject), { callback }));
  return {
    async stop() {
      await Promise.all(subscriptions.map((subscription) => subscription.drain()));
      await Promise.all(inFlight);
    },
  };
}

const codec = ExactJSONCodec<unknown>();

/** A request packet of @nestjs/microservices' format, what OperationClient sends (plain-JSON askers send none). */
interface RequestPacket {
  id: string;
  data?: { requestId?: unknown; deadline?: unknown };
}

function requestPacketOf(msg: Msg): RequestPacket | undefined {
  try {
    const packet = codec.decode(msg.data) as RequestPacket | null;
    return typeof packet === 'object' && packet !== null && typeof packet.id === 'string' ? packet : undefined;
  } catch {
    return undefined;
  }
}

/** Answers a request that arrived after its deadline with the refusal of lateRequest, instead of handing it to the endpoint. */
function refuseAsLate(msg: Msg, packet: RequestPacket, subject: string): void {
  const requestId = typeof packet.data?.requestId === 'string' ? packet.data.requestId : undefined;
  const refusal = lateRequest({ operation: subject.slice(subject.lastIndexOf('.') + 1), requestId });
  msg.respond(codec.encode({ id: packet.id, err: { name: refusal.code, message: refusal.message }, isDisposed: true }));
}

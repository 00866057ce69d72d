import { Logger, type Type } from '@nestjs/common';
import type { Msg, NatsConnection } from 'nats';

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

/** `counted` is called with each message's outcome (the chassis counts operations with it). */
export function serveEndpoint(
  nc: NatsConnection,
  queue: string,
  subject: string,
  endpoint: NatsEndpoint,
  counted: (failed: boolean) => void,
): ServedEndpoint {
  const logger = new Logger(endpoint.constructor.name);
  const inFlight = new Set<Promise<void>>();
  const subscription = nc.subscribe(subject, {
    queue,
    callback: (error, msg) => {
      if (error) {
        logger.error(`subscription to ${subject} failed: ${error.message}`);
        return;
      }
      const handled = endpoint
        .handle(msg)
        .then(
          () => counted(false),
          (failure: unknown) => {
            counted(true);
            logger.error(failure instanceof Error ? (failure.stack ?? failure.message) : String(failure));
          },
        )
        .finally(() => inFlight.delete(handled));
      inFlight.add(handled);
    },
  });
  return {
    async stop() {
      await subscription.drain();
      await Promise.all(inFlight);
    },
  };
}

import { Logger } from '@nestjs/common';
import { ServerNats, type Deserializer, type MessageHandler, type Serializer } from '@nestjs/microservices';
import { isPastDeadline } from '@lm/contracts';
import {
  announceReplica,
  coalesceNatsWrites,
  ExactJSONCodec,
  replicaSubject,
  type ReplicaAnnouncement,
} from '@lm/messaging';
import type { NatsConnection, Subscription } from 'nats';
import { tap, throwError, type Observable } from 'rxjs';
import { deadlineOf, lateRequest, withDeadline } from './late-request';
import { operationContext, type OperationContext } from './logging/operation-context';
import { toOperationError } from './operation-exception.filter';
import { inOperation } from './operation-scope';

/** A request the server answered: for the chassis to count and log (operation-observer.ts). */
export interface AnsweredRequest extends OperationContext {
  subject: string;
  durationMs: number;
  /** The error's name (an AWS error code) when it was answered with an error. */
  error?: string;
}

const logger = new Logger('Operation');

/**
 * Nest's NATS server, with what the chassis does around each request done here rather than in
 * interceptors: for every interceptor, Nest binds the request's async context anew
 * (AsyncResource.bind, and rxjs layers around it), which cost licensing about a tenth of its CPU
 * on GetLicenseConfiguration (bench:profile); a server without interceptors calls its handlers
 * directly. Around each request's handler it:
 * - refuses a request that arrives after its deadline, before the handler runs, so that a request
 *   the gateway already answered 503 (and its client may have sent again) is not carried out late;
 * - runs the handler with the request's deadline in force (late-request.ts) and in the scope of its
 *   operation (operation-scope.ts);
 * - tells the observer (counts and the debug line) how it was answered.
 * It also takes each request's route as the subject string it is: Nest first tries to read a
 * pattern as JSON, for patterns that are objects; ours are plain subjects, so that attempt threw a
 * SyntaxError, stack trace and all, on every request.
 */
export class OperationServer extends ServerNats {
  private observer?: (answered: AnsweredRequest) => void;
  private readonly served = new Map<string, MessageHandler>();
  private replica?: {
    service: string;
    name: string;
    runsRelay: () => boolean;
    announcement?: ReplicaAnnouncement;
  };
  /** This replica's own subscriptions (see serveAsReplica). */
  private readonly replicaSubscriptions: Subscription[] = [];

  /** Told of every request answered from now on. */
  observe(observer: (answered: AnsweredRequest) => void): void {
    this.observer = observer;
  }

  /** Its replies to requests answered in one turn of the event loop go out in one write. */
  override async createNatsClient(): Promise<NatsConnection> {
    return coalesceNatsWrites(await super.createNatsClient());
  }

  /**
   * Serves every request subject on the replica's own subject as well (replicaSubject, no queue
   * group), to which the gateway sends the requests of the tenants it routes to this replica
   * (services/gateway/src/routing/tenant-routing.ts), and says so on the service's presence
   * subject (replica-presence.ts) until it closes, with whether it runs the service's event relay
   * (`runsRelay`, read at each announcement). Call it before the server listens.
   */
  serveAsReplica(service: string, name: string, runsRelay: () => boolean = () => false): void {
    this.replica = { service, name, runsRelay };
  }

  override bindEvents(client: NatsConnection): void {
    super.bindEvents(client);
    const replica = this.replica;
    if (replica === undefined) return;
    for (const [pattern, handler] of this.getHandlers()) {
      if (handler.isEventHandler || !isPlainSubject(pattern)) continue;
      const callback = this.getMessageHandler(pattern).bind(this) as (error: unknown, msg: unknown) => void;
      this.replicaSubscriptions.push(client.subscribe(replicaSubject(replica.name, pattern), { callback }));
    }
    // On the connection of the subscriptions, after them: NATS has them when the gateway hears of it.
    replica.announcement = announceReplica(client, replica.service, replica.name, { runsRelay: replica.runsRelay });
  }

  /** Says first that it is leaving: the gateway stops routing to it while what it has is answered. */
  override async close(): Promise<void> {
    this.replica?.announcement?.leave();
    for (const subscription of this.replicaSubscriptions.splice(0)) subscription.unsubscribe();
    await super.close();
  }

  override getRouteFromPattern(pattern: string): string {
    return isPlainSubject(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  override getHandlerByPattern(subject: string): MessageHandler | null {
    const handler = super.getHandlerByPattern(subject);
    if (!handler || handler.isEventHandler) return handler;
    let served = this.served.get(subject);
    if (!served) {
      served = Object.assign(this.serving(subject, handler), handler);
      this.served.set(subject, served);
    }
    return served;
  }

  private serving(subject: string, handler: MessageHandler): MessageHandler {
    const operation = subject.slice(subject.lastIndexOf('.') + 1);
    return (data: unknown, natsContext: unknown) =>
      inOperation(operation, async () => {
        const started = performance.now();
        const request = operationContext(subject, data);
        const answer: Observable<unknown> = isPastDeadline(data)
          ? throwError(() => toOperationError(lateRequest(request), logger, request))
          : await withDeadline(deadlineOf(data), () => handler(data, natsContext)).then(
              (result) => this.transformToObservable(result),
              // Nest's router answers a handler's error as an error observable; anything else rejecting is answered alike.
              (error: unknown) => throwError(() => error),
            );
        const answered = (error?: string) =>
          this.observer?.({ ...request, subject, durationMs: performance.now() - started, error });
        return answer.pipe(
          tap({ complete: () => answered(), error: (error: { name?: string }) => answered(error?.name ?? 'Error') }),
        );
      });
  }
}

/** A subject of letters, digits, dots, dashes and underscores: never JSON. */
export function isPlainSubject(pattern: unknown): pattern is string {
  return typeof pattern === 'string' && /^[\w.-]+$/.test(pattern);
}

const codec = ExactJSONCodec<unknown>();

/**
 * Nest's NATS (de)serializers with longs kept exact (ExactJSONCodec): a long the gateway sends
 * beyond 2 ** 53 - 1 reaches the handler as a bigint, and one a handler answers leaves as its digits.
 */
export const EXACT_NATS_SERIALIZER: Serializer = {
  serialize: (packet: unknown) => ({ data: codec.encode(packet), headers: undefined }),
};

export const EXACT_NATS_DESERIALIZER: Deserializer = {
  deserialize(value: Uint8Array, options?: { channel?: string }) {
    const decoded = codec.decode(value) as { pattern?: unknown; data?: unknown } | null;
    // What is not a packet of Nest's (a plain-JSON asker) is the data of a request on its subject, as Nest reads it.
    return decoded && (decoded.pattern !== undefined || decoded.data !== undefined)
      ? decoded
      : { pattern: options?.channel, data: decoded };
  },
};

import { hostname } from 'node:os';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import type { ServiceMetrics, ServiceName } from '@lm/contracts';
import { metricsSubject } from '@lm/messaging';
import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { tap, type Observable } from 'rxjs';

/**
 * Monotonic counters of this process, named in snake case. A service's classes may inject it
 * and count what is worth seeing on the gateway's /metrics.
 */
@Injectable()
export class ServiceCounters {
  private readonly values = new Map<string, number>();

  increment(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.values);
  }
}

/**
 * Counts the operations the service answers (`operations_handled`) and fails (`operations_failed`):
 * requests on `operationSubjects` only, so that health checks are not counted.
 */
export class OperationCounter implements NestInterceptor {
  constructor(
    private readonly counters: ServiceCounters,
    private readonly operationSubjects: ReadonlySet<string>,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.operationSubjects.has(context.switchToRpc().getContext<NatsContext>().getSubject())) return next.handle();
    return next.handle().pipe(
      tap({
        next: () => this.counters.increment('operations_handled'),
        error: () => this.counters.increment('operations_failed'),
      }),
    );
  }
}

const codec = JSONCodec();

/**
 * Answers `metricsSubject(service)` with this replica's ServiceMetrics. No queue group: a request
 * with several replies gathers one answer per replica. The answer is the reply packet of
 * @nestjs/microservices (`{ id, response: ServiceMetrics, isDisposed: true }`), as on the health
 * subject, so that one decoder reads both.
 */
export function serveMetrics(
  nc: NatsConnection,
  service: ServiceName,
  counters: () => Record<string, number>,
): Subscription {
  const instance = `${hostname()}:${process.pid}`;
  return nc.subscribe(metricsSubject(service), {
    callback: (error, message) => {
      if (error || !message.reply) return;
      const response: ServiceMetrics = { service, instance, counters: counters() };
      message.respond(codec.encode({ id: requestId(message.data), response, isDisposed: true }));
    },
  });
}

function requestId(data: Uint8Array): unknown {
  try {
    return (codec.decode(data) as { id?: unknown } | null)?.id ?? null;
  } catch {
    return null;
  }
}

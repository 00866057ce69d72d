import { Injectable } from '@nestjs/common';
import type { ApiModel } from '@lm/api-model';
import { NoRespondersError, OperationTimeoutError, type OperationReply } from '@lm/messaging';
import { createMetricsRegistry } from '@lm/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { HttpRequest } from '../protocol';
import type { Route, RoutingObserver } from '../routing/tenant-routing';
import { attemptedOperation } from './attempted-operation';

/** From a cached read (milliseconds) to the operation timeout's order (tens of seconds). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How an answered request ended, for the response counter. */
export interface ResponseOutcome {
  api?: ApiModel;
  /** `unknown` when the request was refused before its operation was resolved: it is then worked out from the request. */
  operation: string;
  status: number;
  /** The AWS error code of an error response. */
  errorCode?: string;
}

/**
 * The gateway's own metrics, on its registry (with the process and runtime metrics):
 * every response by API, operation, status and error code; the time to answer; the time each
 * operation's request/reply over NATS took, by the service asked and how it ended.
 */
@Injectable()
export class GatewayMetrics {
  readonly registry: Registry = createMetricsRegistry('gateway');
  private readonly responses = new Counter({
    name: 'lm_gateway_responses_total',
    help: 'AWS API responses of the gateway, by API, operation, HTTP status and AWS error code ("" for a success).',
    labelNames: ['api', 'operation', 'status', 'error_code'],
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'lm_gateway_request_duration_seconds',
    help: 'Time from a request reaching the gateway to its response, by API and operation.',
    labelNames: ['api', 'operation'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly natsRequests = new Histogram({
    name: 'lm_gateway_nats_request_duration_seconds',
    help: "Time of the gateway's request/reply over NATS to the service that owns an operation, by service, operation and outcome (ok, error, timeout, no_responders, failed).",
    labelNames: ['service', 'operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly routes = new Counter({
    name: 'lm_gateway_replica_routes_total',
    help: "Requests the gateway sent to a service, by service and route: to the account's preferred replica, spilled over to another, to the queue group; gone: those whose replica had no responders and went on to the queue group.",
    labelNames: ['service', 'route'],
    registers: [this.registry],
  });

  private readonly replicasInUse = new Gauge({
    name: 'lm_gateway_replicas_in_use',
    help: "How many of a service's replicas the gateway spreads accounts over: the one running the event relay first, then the oldest, as many as keep each below LM_REPLICA_BUSY_CPU of a core.",
    labelNames: ['service'],
    registers: [this.registry],
  });

  /** What the tenant routing tells of its choices (routing/tenant-routing.ts). */
  readonly routing: RoutingObserver = {
    routed: (service: string, route: Route) => this.routes.inc({ service, route }),
    inUse: (service: string, replicas: number) => this.replicasInUse.set({ service }, replicas),
  };

  /** Counts a response; `started` is the request's `process.hrtime.bigint()`. */
  recordResponse(request: HttpRequest, outcome: ResponseOutcome, started: bigint): void {
    const { api, operation } = outcome.operation === 'unknown' ? attemptedOperation(request) : outcome;
    const labels = { api: api?.id ?? 'unknown', operation };
    this.responses.inc({ ...labels, status: outcome.status, error_code: outcome.errorCode ?? '' });
    this.durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Times one operation's request to its service, labelled with how it ended. */
  async timeNatsRequest(
    service: string,
    operation: string,
    request: () => Promise<OperationReply>,
  ): Promise<OperationReply> {
    const stop = this.natsRequests.startTimer({ service, operation });
    try {
      const reply = await request();
      stop({ outcome: reply.ok ? 'ok' : 'error' });
      return reply;
    } catch (error) {
      stop({
        outcome:
          error instanceof OperationTimeoutError
            ? 'timeout'
            : error instanceof NoRespondersError
              ? 'no_responders'
              : 'failed',
      });
      throw error;
    }
  }
}

import type { Registry } from 'prom-client';
import { operationsCounter, type OperationOutcome } from './operation-metrics';
import { redeliveriesCounter } from './lag-metrics';
import { subscriptionLeaseGauge } from './lease-metrics';
import { createMetricsRegistry } from './registry';

/** The service's registry and the counters the chassis keeps on it (one of each per process). */
export class ChassisMetrics {
  readonly registry: Registry;
  readonly countOperation: (operation: string, outcome: OperationOutcome) => void;
  readonly countRedelivery: (consumer: string, by?: number) => void;
  readonly setSubscriptionLeaseHeld: (held: boolean) => void;

  constructor(service: string) {
    this.registry = createMetricsRegistry(service);
    this.countOperation = operationsCounter(this.registry);
    this.countRedelivery = redeliveriesCounter(this.registry);
    this.setSubscriptionLeaseHeld = subscriptionLeaseGauge(this.registry);
  }
}

import { Gauge, type Registry } from 'prom-client';

/**
 * `lm_subscription_lease_held`: 1 on the replica of a service that holds its subscription lease
 * (and so runs its event relay and store subscriptions), 0 on the others, which stand by.
 */
export function subscriptionLeaseGauge(registry: Registry): (held: boolean) => void {
  const gauge = new Gauge({
    name: 'lm_subscription_lease_held',
    help: "1 when this replica holds the service's subscription lease and runs its event relay and store subscriptions; 0 when it stands by.",
    registers: [registry],
  });
  gauge.set(0);
  return (held) => gauge.set(held ? 1 : 0);
}

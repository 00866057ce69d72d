import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '@lm/event-store';
import { ChassisMetrics, instrumentEventStore, metricFamilies, registerLagMetrics } from '@lm/service-kit';
import { GatewayMetrics } from '../../services/gateway/src/observability/metrics';
import { registerPendingEventsGauge } from '../../services/reporting/src/usage-metrics/application/pending-events.gauge';

const root = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Panel {
  title: string;
  datasource: { type: string; uid: string };
  targets: { expr: string; datasource: { uid: string } }[];
}

const dashboard = JSON.parse(read('infra/grafana/license-manager-dashboard.json')) as {
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: Panel[];
};

/**
 * Every metric the gateway and a service register, as the chassis registers them (see ServiceRuntime,
 * defineService), and the operational ones a service adds (reporting's waiting events).
 */
async function registeredMetrics(): Promise<Map<string, string>> {
  const service = new ChassisMetrics('licensing').registry;
  instrumentEventStore({} as EventStore, service);
  registerLagMetrics(service, { store: {} as EventStore, nc: {} as NatsConnection, checkpoints: [], consumers: [] });
  registerPendingEventsGauge(service, async () => 0);
  const families = [...(await metricFamilies(new GatewayMetrics().registry)), ...(await metricFamilies(service))];
  return new Map(families.map((family) => [family.name, family.type]));
}

/** The names a PromQL expression or a text refers to: this product's and the Prometheus client's metric prefixes. */
const metricNamesIn = (text: string) => [...text.matchAll(/\b(?:lm|process|nodejs)_[a-z0-9_]+/g)].map(([name]) => name);

/** A series name of a registered metric: itself, or a histogram's `_bucket`, `_sum` and `_count`. */
function isSeriesOf(registered: Map<string, string>, name: string): boolean {
  if (registered.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && registered.get(base) === 'histogram';
}

/** The `## Metrics` section of docs/operations.md. */
const metricsSection = () =>
  read('docs/operations.md')
    .split(/^## Metrics$/m)[1]
    .split(/^## /m)[0];

/** The metric names of the section's tables whose first column is `Metric`. */
function documentedMetrics(): Set<string> {
  const names = new Set<string>();
  let inMetricTable = false;
  for (const line of metricsSection().split('\n')) {
    if (!line.startsWith('|')) inMetricTable = false;
    else if (/^\|\s*Metric\s*\|/.test(line)) inMetricTable = true;
    else if (inMetricTable) for (const [, name] of line.split('|')[1].matchAll(/`([a-z0-9_]+)`/g)) names.add(name);
  }
  return names;
}

describe('the Grafana dashboard and the documented metrics', () => {
  it('documents exactly the metrics the code registers', async () => {
    const registered = await registeredMetrics();
    expect([...documentedMetrics()].sort()).toEqual([...registered.keys()].sort());
  });

  it('refers, in every panel expression and every documented alert, only to metrics the code registers', async () => {
    const registered = await registeredMetrics();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        const names = metricNamesIn(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) expect(isSeriesOf(registered, name), `${panel.title}: ${name}`).toBe(true);
      }
    }
    for (const name of metricNamesIn(metricsSection())) expect(isSeriesOf(registered, name), name).toBe(true);
  });

  it("has a panel for each of the product's metrics", async () => {
    const used = new Set(dashboard.panels.flatMap((panel) => panel.targets.flatMap(({ expr }) => metricNamesIn(expr))));
    const product = [...(await registeredMetrics()).keys()].filter((name) => name.startsWith('lm_'));
    const unused = product.filter(
      (name) => ![name, `${name}_bucket`, `${name}_count`, `${name}_sum`].some((series) => used.has(series)),
    );
    expect(unused).toEqual([]);
  });

  it('asks for its Prometheus data source through a variable that every panel uses', () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    for (const panel of dashboard.panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(target.datasource.uid).toBe('${datasource}');
    }
  });
});

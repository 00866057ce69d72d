import { describe, expect, it } from 'vitest';
import { renderReplicaMetrics } from '../../src/observability/replica-metrics';

describe('renderReplicaMetrics', () => {
  it('prints one counter series per service, replica and counter, in a stable order', () => {
    const text = renderReplicaMetrics([
      { service: 'licensing', instance: 'host-b:2', counters: { version_conflict_retries: 3 } },
      { service: 'grants', instance: 'host-a:9', counters: { operations_handled: 12, operations_failed: 1 } },
      { service: 'licensing', instance: 'host-a:1', counters: { version_conflict_retries: 7 } },
    ]);
    expect(text).toBe(
      [
        '# HELP lm_service_counter_total Counters of each service replica since it started.',
        '# TYPE lm_service_counter_total counter',
        'lm_service_counter_total{service="grants",instance="host-a:9",counter="operations_failed"} 1',
        'lm_service_counter_total{service="grants",instance="host-a:9",counter="operations_handled"} 12',
        'lm_service_counter_total{service="licensing",instance="host-a:1",counter="version_conflict_retries"} 7',
        'lm_service_counter_total{service="licensing",instance="host-b:2",counter="version_conflict_retries"} 3',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values as the text format requires', () => {
    const text = renderReplicaMetrics([{ service: 'grants', instance: 'pod "a"\\1\n', counters: { x: 0 } }]);
    expect(text).toContain('instance="pod \\"a\\"\\\\1\\n",counter="x"} 0');
  });

  it('prints only the header when no replica answered', () => {
    expect(renderReplicaMetrics([]).trim().split('\n')).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { mergedByMinute, type MetricPointRow } from '../src/usage-metrics/application/usage-samples';

const point = (metric: string, dimensionsKey: string, at: string, value: number, source: string): MetricPointRow => ({
  account_id: '111111111111',
  namespace: 'AWS/LicenseManager/licenseConfigurationUsageMetrics',
  metric_name: metric,
  dimensions: '[]',
  dimensions_key: dimensionsKey,
  unit: 'Count',
  timestamp: new Date(`2026-03-02T${at}Z`),
  resolution: 60,
  sample_count: 1,
  sum: value,
  minimum: value,
  maximum: value,
  source,
});

describe("a consumer batch's data points, merged per series and minute", () => {
  it('adds the samples of one series in one minute into one statistic set, at the first one’s instant, without a source', () => {
    const merged = mergedByMinute([
      point('Usage', 'a', '10:00:05', 4, 'event:1:Usage'),
      point('Usage', 'a', '10:00:50', 9, 'event:2:Usage'),
      point('Usage', 'a', '10:00:59.999', 1, 'event:3:Usage'),
    ]);
    expect(merged).toEqual([
      {
        ...point('Usage', 'a', '10:00:05', 4, 'event:1:Usage'),
        source: null,
        sample_count: 3,
        sum: 14,
        minimum: 1,
        maximum: 9,
      },
    ]);
  });

  it('keeps apart other minutes, other metrics and other dimensions', () => {
    const points = [
      point('Usage', 'a', '10:00:59', 1, 'event:1:Usage'),
      point('Usage', 'a', '10:01:00', 2, 'event:2:Usage'),
      point('Percentage', 'a', '10:01:01', 20, 'event:2:Percentage'),
      point('Usage', 'b', '10:01:02', 3, 'event:3:Usage'),
    ];
    expect(mergedByMinute(points)).toEqual(points.map((point) => ({ ...point, source: null })));
  });
});

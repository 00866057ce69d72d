/** Prometheus text exposition of the gateway's request counters and latency histogram. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

export class GatewayMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Series>();

  record(operation: string, status: number, seconds: number): void {
    const requestKey = `operation="${operation}",status="${status}"`;
    this.requests.set(requestKey, (this.requests.get(requestKey) ?? 0) + 1);
    const durationKey = `operation="${operation}"`;
    const series = this.durations.get(durationKey) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    series.count++;
    series.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.buckets[i]++;
    });
    this.durations.set(durationKey, series);
  }

  render(): string {
    const lines = [
      '# HELP lm_gateway_requests_total AWS API requests answered by the gateway.',
      '# TYPE lm_gateway_requests_total counter',
      ...[...this.requests].map(([labels, value]) => `lm_gateway_requests_total{${labels}} ${value}`),
      '# HELP lm_gateway_request_duration_seconds Time from request to response.',
      '# TYPE lm_gateway_request_duration_seconds histogram',
    ];
    for (const [labels, series] of this.durations) {
      BUCKETS.forEach((bound, i) =>
        lines.push(`lm_gateway_request_duration_seconds_bucket{${labels},le="${bound}"} ${series.buckets[i]}`),
      );
      lines.push(`lm_gateway_request_duration_seconds_bucket{${labels},le="+Inf"} ${series.count}`);
      lines.push(`lm_gateway_request_duration_seconds_sum{${labels}} ${series.sum}`);
      lines.push(`lm_gateway_request_duration_seconds_count{${labels}} ${series.count}`);
    }
    return lines.join('\n') + '\n';
  }
}

import type { ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { metricFamilies } from '@lm/service-kit';
import { HealthCheck } from '../observability/health-check';
import { GatewayMetrics } from '../observability/metrics';
import { renderMetrics, ReplicaMetrics } from '../observability/replica-metrics';
import { writeJson, writeResponse } from './write-response';

/** GET /health and GET /metrics: not API calls (no signature, no audit record, not counted). */
@Injectable()
export class HealthAndMetricsEndpoints {
  constructor(
    private readonly health: HealthCheck,
    private readonly metrics: GatewayMetrics,
    private readonly replicaMetrics: ReplicaMetrics,
  ) {}

  async serveHealth(res: ServerResponse): Promise<void> {
    const report = await this.health.check();
    writeJson(res, report.healthy ? 200 : 503, report);
  }

  /** The gateway's own metrics and those of every replica of the deployed services, in one exposition. */
  async serveMetrics(res: ServerResponse): Promise<void> {
    const [gateway, replicas] = await Promise.all([
      metricFamilies(this.metrics.registry),
      this.replicaMetrics.gather(),
    ]);
    writeResponse(res, {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8; version=0.0.4' },
      body: await renderMetrics(gateway, replicas),
    });
  }
}

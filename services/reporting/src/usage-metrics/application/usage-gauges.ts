import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, METRICS } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { usageSamples } from '../domain/configuration-usage';
import type { UsageMetricName } from '../domain/usage-metrics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { UsageMetricsViews } from './usage-metrics.views';

/** The Prometheus name of each CloudWatch usage metric. */
const GAUGES: Record<UsageMetricName, { name: string; help: string }> = {
  TotalLicenseConfigurationUsageCount: {
    name: 'lm_license_configuration_total_usage_count',
    help: 'Licences a license configuration makes available (CloudWatch TotalLicenseConfigurationUsageCount).',
  },
  LicenseConfigurationUsageCount: {
    name: 'lm_license_configuration_usage_count',
    help: 'Licences in use of a license configuration (CloudWatch LicenseConfigurationUsageCount).',
  },
  LicenseConfigurationUsagePercentage: {
    name: 'lm_license_configuration_usage_percentage',
    help: 'Licences in use as a percentage of the count (CloudWatch LicenseConfigurationUsagePercentage).',
  },
};

const LABELS = ['account_id', 'license_configuration_arn', 'license_configuration_type'] as const;

/**
 * The usage gauges on the service's /metrics, read from the consumer's state at each scrape, with
 * the CloudWatch dimensions as labels (and the account), so that Grafana needs nothing else.
 */
@Injectable()
export class UsageGauges implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(DATABASE) private readonly db: Kysely<UsageMetricsViews>,
  ) {}

  onModuleInit(): void {
    const gauges = new Map<UsageMetricName, Gauge<(typeof LABELS)[number]>>();
    let scrape: Promise<void> | undefined;
    // One read of the usages per scrape, shared by the three gauges.
    const refresh = () => {
      scrape ??= this.fill(gauges).finally(() => (scrape = undefined));
      return scrape;
    };
    for (const [metric, { name, help }] of Object.entries(GAUGES) as Array<
      [UsageMetricName, { name: string; help: string }]
    >) {
      gauges.set(metric, new Gauge({ name, help, labelNames: LABELS, registers: [this.registry], collect: refresh }));
    }
  }

  private async fill(gauges: Map<UsageMetricName, Gauge<(typeof LABELS)[number]>>): Promise<void> {
    const rows = await this.db
      .withSchema(REPORTING_SCHEMA)
      .selectFrom('usage_configurations')
      .select('usage')
      .execute();
    for (const gauge of gauges.values()) gauge.reset();
    for (const { usage } of rows) {
      for (const sample of usageSamples(usage)) {
        gauges.get(sample.metricName)!.set(
          {
            account_id: usage.accountId,
            license_configuration_arn: usage.arn,
            license_configuration_type: usage.countingType,
          },
          sample.value,
        );
      }
    }
  }
}

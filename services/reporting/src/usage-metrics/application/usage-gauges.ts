import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CLOCK, DATABASE, METRICS, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { usageSamples } from '../domain/configuration-usage';
import { entitlementSamples, type EntitlementMetricName } from '../domain/entitlement-usage';
import type { UsageMetricName } from '../domain/usage-metrics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { EntitlementUsageViews } from './entitlement-usage.views';
import type { UsageMetricsViews } from './usage-metrics.views';

const CONFIGURATION_LABELS = ['account_id', 'license_configuration_arn', 'license_configuration_type'] as const;
const ENTITLEMENT_LABELS = ['account_id', 'license_arn', 'entitlement_name', 'unit'] as const;
type Labels = (typeof CONFIGURATION_LABELS)[number] | (typeof ENTITLEMENT_LABELS)[number];

/** The Prometheus name of each CloudWatch usage metric, labelled with its dimensions. */
const GAUGES: Record<
  UsageMetricName | EntitlementMetricName,
  { name: string; help: string; labels: readonly Labels[] }
> = {
  TotalLicenseConfigurationUsageCount: {
    name: 'lm_license_configuration_total_usage_count',
    help: 'Licences a license configuration makes available (CloudWatch TotalLicenseConfigurationUsageCount).',
    labels: CONFIGURATION_LABELS,
  },
  LicenseConfigurationUsageCount: {
    name: 'lm_license_configuration_usage_count',
    help: 'Licences in use of a license configuration (CloudWatch LicenseConfigurationUsageCount).',
    labels: CONFIGURATION_LABELS,
  },
  LicenseConfigurationUsagePercentage: {
    name: 'lm_license_configuration_usage_percentage',
    help: 'Licences in use as a percentage of the count (CloudWatch LicenseConfigurationUsagePercentage).',
    labels: CONFIGURATION_LABELS,
  },
  TotalLicenseEntitlementUsageCount: {
    name: 'lm_license_entitlement_total_usage_count',
    help: "A seller-issued licence's entitlement MaxCount, as the account sees it (CloudWatch TotalLicenseEntitlementUsageCount).",
    labels: ENTITLEMENT_LABELS,
  },
  LicenseEntitlementUsageCount: {
    name: 'lm_license_entitlement_usage_count',
    help: "Units of a seller-issued licence's entitlement in use that the account sees (CloudWatch LicenseEntitlementUsageCount).",
    labels: ENTITLEMENT_LABELS,
  },
  LicenseEntitlementUsagePercentage: {
    name: 'lm_license_entitlement_usage_percentage',
    help: 'Entitlement units in use as a percentage of MaxCount (CloudWatch LicenseEntitlementUsagePercentage).',
    labels: ENTITLEMENT_LABELS,
  },
};

/**
 * The usage gauges on the service's /metrics, read from the consumers' state at each scrape, with
 * the CloudWatch dimensions as labels (and the account that sees them), so that Grafana needs
 * nothing else.
 */
@Injectable()
export class UsageGauges implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(DATABASE) private readonly db: Kysely<UsageMetricsViews & EntitlementUsageViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const gauges = new Map<string, Gauge<Labels>>();
    let scrape: Promise<void> | undefined;
    // One read of the usages per scrape, shared by the gauges.
    const refresh = () => {
      scrape ??= this.fill(gauges).finally(() => (scrape = undefined));
      return scrape;
    };
    for (const [metric, { name, help, labels }] of Object.entries(GAUGES)) {
      gauges.set(metric, new Gauge({ name, help, labelNames: labels, registers: [this.registry], collect: refresh }));
    }
  }

  private async fill(gauges: Map<string, Gauge<Labels>>): Promise<void> {
    const db = this.db.withSchema(REPORTING_SCHEMA);
    const configurations = await db.selectFrom('usage_configurations').select('usage').execute();
    const licences = await db
      .selectFrom('entitlement_usage_licences')
      .select('usage')
      .where('usage', 'is not', null)
      .execute();
    const now = this.clock.now();
    for (const gauge of gauges.values()) gauge.reset();
    for (const { usage } of configurations) {
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
    for (const { usage } of licences) {
      for (const { accountId, samples } of entitlementSamples(usage!, now)) {
        for (const sample of samples) {
          const labels = { account_id: accountId, license_arn: usage!.licenseArn, unit: sample.unit };
          const entitlement = sample.dimensions.find((d) => d.Name === 'EntitlementName')!.Value;
          gauges.get(sample.metricName)!.set({ ...labels, entitlement_name: entitlement }, sample.value);
        }
      }
    }
  }
}

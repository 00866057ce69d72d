import { Module } from '@nestjs/common';
import { EntitlementUsageConsumer } from './application/entitlement-usage.consumer';
import { PendingEventsGauge } from './application/pending-events.gauge';
import { RunningInstancesConsumer } from './application/running-instances.consumer';
import { StreamCountGauges } from './application/stream-count.gauges';
import { SubscribedUsersConsumer } from './application/subscribed-users.consumer';
import { UsageGauges } from './application/usage-gauges';
import { UsageMetricsConsumer } from './application/usage-metrics.consumer';
import { UsageMetricsQueries } from './application/usage-metrics.queries';
import { UsageMetricsSweep } from './application/usage-metrics.sweep';
import { UsageMetricsController } from './infra/usage-metrics.controller';

/** How often hourly points are written and old points rolled up: well within the hour, so that none is late. */
export const USAGE_METRICS_SWEEP_MS = 5 * 60_000;

/**
 * Usage metrics: licensing's events (license configurations), grants' (seller-issued licences'
 * entitlement usage), user-subscriptions' (subscribed users per product) and linux-subscriptions'
 * (running instances per Linux subscription) made into CloudWatch data points (namespace
 * AWSLicenseManager/licenseUsage) and Prometheus gauges, read through the CloudWatch subset.
 */
@Module({
  controllers: [UsageMetricsController],
  providers: [
    UsageMetricsConsumer,
    EntitlementUsageConsumer,
    UsageMetricsQueries,
    UsageMetricsSweep,
    UsageGauges,
    PendingEventsGauge,
    SubscribedUsersConsumer,
    RunningInstancesConsumer,
    StreamCountGauges,
  ],
})
export class UsageMetricsModule {}

import { Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { assetGroupSamples, assetGroupUsageOf } from '../domain/asset-group-usage';
import { countSampleKey } from '../domain/stream-counts';
import { writeAccountSamples } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

/**
 * Follows licensing's LicenseAssetGroupUsageAnalysed (durable consumer 'reporting-asset-group-usage'):
 * each is a group's usage when it changed, and at least hourly while the group lasts, written as
 * the group owner's InstanceCount and InstanceConsumedLicenseCount points at the time it was
 * analysed. Each point is keyed by the event and the metric, so a redelivery writes nothing new.
 */
@Injectable()
export class AssetGroupUsageConsumer implements EventConsumer {
  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const usage = assetGroupUsageOf(event);
    if (!usage) return;
    await writeAccountSamples(
      trx as Transaction<UsageMetricsViews>,
      [{ accountId: usage.ownerAccountId, samples: assetGroupSamples(usage) }],
      new Date(usage.analysedAt),
      `event:${event.eventId}`,
      (_account, sample) => countSampleKey({ accountId: usage.ownerAccountId, ...sample }),
    );
  }
}

import { Module } from '@nestjs/common';
import { AuditEventsStore } from './application/audit-events.store';
import { AuditRetentionSweep } from './application/audit-retention.sweep';
import { AuditEventsQueries } from './application/audit-events.queries';
import { AuditRecordConsumer } from './infra/audit-record.consumer';
import { LookupEventsController } from './infra/lookup-events.controller';

/**
 * The audit trail: the gateway's CloudTrail records of every call, stored per account from the
 * audit stream, looked up with CloudTrail's LookupEvents, forgotten after 90 days.
 */
@Module({
  controllers: [LookupEventsController],
  providers: [AuditEventsStore, AuditEventsQueries, AuditRetentionSweep, AuditRecordConsumer],
})
export class AuditTrailModule {}

import { Injectable } from '@nestjs/common';
import { assertCataloguedVersion, type DomainEventMessage, type LicenseEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { licenceAsset } from '../domain/asset-facts';
import { LicenceHolding } from './licence-holding';

const LICENCE_EVENTS = new Set(['LicenseCreated', 'LicenseVersionCreated', 'LicenseDeleted', 'LicenseExpired']);
type LicenceEvent = LicenseEventMessage<
  'LicenseCreated' | 'LicenseVersionCreated' | 'LicenseDeleted' | 'LicenseExpired'
>;

/** A licence event of the contract, at the schema version this consumer reads. */
function licenceEventOf(event: DomainEventMessage): LicenceEvent | undefined {
  if (event.service !== 'grants' || !LICENCE_EVENTS.has(event.type)) return undefined;
  assertCataloguedVersion(event);
  return event as unknown as LicenceEvent;
}

/** A licence's ARN names its issuer's account (`arn:aws:license-manager::<account>:license:l-…`). */
const licenceIssuer = (licenseArn: string) => licenseArn.split(':')[4];

/**
 * Follows the grants service's licence events (durable consumer 'licensing-asset-group-licences'):
 * keeps the seller-issued licences as license rules see them (their current version; DELETED or
 * EXPIRED as they are deleted or expire), each event in its stream's order whatever the order it
 * arrives in, and lets each join or leave the groups of its issuer and of the accounts that
 * receive it through grants (LicenceHolding).
 */
@Injectable()
export class LicencesConsumer implements EventConsumer {
  readonly eventTypes = [...LICENCE_EVENTS];

  async handle(message: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const event = licenceEventOf(message);
    if (!event) return;
    const holding = new LicenceHolding(trx);
    const licenseArn = event.type === 'LicenseCreated' ? event.data.license.LicenseArn : event.data.licenseArn;
    const issuerAccountId = event.type === 'LicenseCreated' ? event.data.issuerAccountId : licenceIssuer(licenseArn);
    await holding.lock(licenseArn);
    if (event.type === 'LicenseCreated' || event.type === 'LicenseVersionCreated')
      await holding.versionRecorded(issuerAccountId, licenceAsset(event.data.license), event.streamVersion);
    else
      await holding.statusRecorded(
        licenseArn,
        issuerAccountId,
        event.type === 'LicenseDeleted' ? 'DELETED' : 'EXPIRED',
        event.streamVersion,
      );
    await holding.evaluate(licenseArn, new Date(event.recordedAt));
  }
}

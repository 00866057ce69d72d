import { Injectable } from '@nestjs/common';
import { assertCataloguedVersion, type DomainEventMessage, type LicenseEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { licenceAsset } from '../domain/asset-facts';
import type { Asset } from '../domain/rule-statements';
import { AssetGroupMembership } from './asset-group-membership';
import type { AssetGroupsViews } from './asset-groups.views';

const LICENCE_EVENTS = new Set(['LicenseCreated', 'LicenseVersionCreated', 'LicenseDeleted']);
type LicenceEvent = LicenseEventMessage<'LicenseCreated' | 'LicenseVersionCreated' | 'LicenseDeleted'>;

/** A licence event of the contract, at the schema version this consumer reads. */
function licenceEventOf(event: DomainEventMessage): LicenceEvent | undefined {
  if (event.service !== 'grants' || !LICENCE_EVENTS.has(event.type)) return undefined;
  assertCataloguedVersion(event);
  return event as unknown as LicenceEvent;
}

/**
 * Follows the grants service's licence events (durable consumer 'licensing-asset-group-licences'):
 * keeps the seller-issued licences as license rules see them (their current version, DELETED once
 * deleted), and lets each join or leave its issuer's groups as it changes.
 */
@Injectable()
export class LicencesConsumer implements EventConsumer {
  async handle(message: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const event = licenceEventOf(message);
    if (!event) return;
    const db = (trx as Transaction<AssetGroupsViews>).withSchema(LICENSING_SCHEMA);
    const at = new Date(event.recordedAt);
    let issuerAccountId: string;
    let asset: Asset;
    if (event.type === 'LicenseDeleted') {
      const row = await db
        .selectFrom('license_asset_licences')
        .selectAll()
        .where('license_arn', '=', event.data.licenseArn)
        .executeTakeFirst();
      if (!row) return;
      issuerAccountId = row.issuer_account_id;
      asset = { ...row.asset, values: { ...row.asset.values, LicenseStatus: ['DELETED'] } };
    } else {
      issuerAccountId =
        event.type === 'LicenseCreated' ? event.data.issuerAccountId : licenceIssuer(event.data.licenseArn);
      asset = licenceAsset(event.data.license);
    }
    await db
      .insertInto('license_asset_licences')
      .values({ license_arn: asset.arn, issuer_account_id: issuerAccountId, asset: JSON.stringify(asset) })
      .onConflict((oc) => oc.column('license_arn').doUpdateSet({ asset: JSON.stringify(asset) }))
      .execute();
    await new AssetGroupMembership(trx).assetChanged(issuerAccountId, asset, true, at);
  }
}

/** A licence's ARN names its issuer's account (`arn:aws:license-manager::<account>:license:l-…`). */
const licenceIssuer = (licenseArn: string) => licenseArn.split(':')[4];

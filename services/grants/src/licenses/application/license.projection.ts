import { stringifyExactJson, withoutTags, withTags } from '@lm/contracts';
import type { LicenseManager } from '@lm/api-model';
import { defineProjection } from '@lm/event-store';
import { sql, type Transaction, type UpdateObject } from 'kysely';
import { parseLicenseArn } from '../domain/arn';
import { LICENSE_EVENT_TYPES, type LicenseDocument, type LicenseEvent } from '../domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { LicenseViews } from './license.views';

/** The columns a licence version sets in the licences view. */
function currentVersionColumns(license: LicenseDocument, streamVersion: number) {
  return {
    issuer_name: license.Issuer.Name ?? '',
    sign_key_arn: license.Issuer.SignKey ?? '',
    key_fingerprint: license.Issuer.KeyFingerprint ?? '',
    status: license.Status,
    home_region: license.HomeRegion,
    valid_from: license.Validity.Begin,
    valid_until: license.Validity.End ?? null,
    version: Number(license.Version),
    stream_version: streamVersion,
    document: stringifyExactJson(license),
  };
}

/**
 * The licences view (each licence's current version, with the columns that lists filter on and
 * that consumption reads) and license_versions (every version, immutable). Events carry whole
 * versions, so rows are written from them; the stream version guard makes replays harmless.
 */
export const licensesProjection = defineProjection<LicenseEvent, LicenseViews>()({
  name: 'licenses',
  eventTypes: LICENSE_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    for (const event of events) {
      switch (event.type) {
        case 'LicenseCreated': {
          const { license, issuerAccountId, tags, clientToken, requestHash } = event.data;
          const licenseId = parseLicenseArn(license.LicenseArn)!.id;
          await db
            .insertInto('licenses')
            .values({
              license_id: licenseId,
              license_arn: license.LicenseArn,
              issuer_account_id: issuerAccountId,
              product_sku: license.ProductSKU,
              beneficiary: license.Beneficiary ?? '',
              client_token: clientToken,
              request_hash: requestHash,
              created_at: license.CreateTime!,
              deletion_date: null,
              tags: stringifyExactJson(tags),
              ...currentVersionColumns(license, event.streamVersion),
            })
            .onConflict((oc) => oc.column('license_id').doNothing())
            .execute();
          await insertVersion(db, licenseId, license);
          break;
        }
        case 'LicenseVersionCreated': {
          const licenseId = parseLicenseArn(event.data.licenseArn)!.id;
          await db
            .updateTable('licenses')
            .set(currentVersionColumns(event.data.license, event.streamVersion))
            .where('license_id', '=', licenseId)
            .where('stream_version', '<', event.streamVersion)
            .execute();
          await insertVersion(db, licenseId, event.data.license);
          break;
        }
        case 'LicenseDeleted':
          await setStatus(db, event.data.licenseArn, 'DELETED', event.streamVersion, {
            deletion_date: event.data.deletionDate,
          });
          break;
        case 'LicenseExpired':
          await setStatus(db, event.data.licenseArn, 'EXPIRED', event.streamVersion);
          break;
        case 'LicenseRenewed':
          await updateInPlace(db, event.data.licenseArn, event.streamVersion, {
            valid_until: event.data.newEnd,
            document: sql`jsonb_set(document, '{Validity,End}', ${stringifyExactJson(event.data.newEnd)}::jsonb)`,
          });
          break;
        case 'LicenseTagged':
        case 'LicenseUntagged': {
          const licenseId = parseLicenseArn(event.data.licenseArn)!.id;
          const row = await db
            .selectFrom('licenses')
            .select(['tags', 'stream_version'])
            .where('license_id', '=', licenseId)
            .forUpdate()
            .executeTakeFirst();
          if (!row || row.stream_version >= event.streamVersion) break;
          const tags =
            event.type === 'LicenseTagged'
              ? withTags(row.tags, event.data.tags)
              : withoutTags(row.tags, event.data.tagKeys);
          await db
            .updateTable('licenses')
            .set({ tags: stringifyExactJson(tags), stream_version: event.streamVersion })
            .where('license_id', '=', licenseId)
            .execute();
          break;
        }
      }
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_versions').execute();
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('licenses').execute();
  },
});

/** The current version changed in place (deleted, expired, renewed): columns and document, once per event. */
async function updateInPlace(
  db: Transaction<LicenseViews>,
  licenseArn: string,
  streamVersion: number,
  changes: UpdateObject<LicenseViews, 'licenses'>,
): Promise<void> {
  await db
    .updateTable('licenses')
    .set({ ...changes, stream_version: streamVersion })
    .where('license_id', '=', parseLicenseArn(licenseArn)!.id)
    .where('stream_version', '<', streamVersion)
    .execute();
}

/** The current version's status changed in place (deleted, expired): its column and its document. */
const setStatus = (
  db: Transaction<LicenseViews>,
  licenseArn: string,
  status: LicenseManager.LicenseStatus,
  streamVersion: number,
  columns: { deletion_date?: string } = {},
) =>
  updateInPlace(db, licenseArn, streamVersion, {
    ...columns,
    status,
    document: sql`document || ${stringifyExactJson({ Status: status })}::jsonb`,
  });

async function insertVersion(
  db: Transaction<LicenseViews>,
  licenseId: string,
  license: LicenseDocument,
): Promise<void> {
  await db
    .insertInto('license_versions')
    .values({ license_id: licenseId, version: Number(license.Version), document: stringifyExactJson(license) })
    .onConflict((oc) => oc.columns(['license_id', 'version']).doNothing())
    .execute();
}

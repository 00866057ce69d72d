import type { LicenseManager } from '@lm/api-model';
import type {
  GrantEventData,
  GrantEventMessage,
  GrantEventType,
  LicenseDocument,
  LicenseEventData,
  LicenseEventMessage,
  LicenseEventType,
} from '@lm/contracts';
import { applyProjection, type Recorded } from '@lm/event-store';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantsConsumer } from '../src/asset-groups/application/grants.consumer';
import { LicencesConsumer } from '../src/asset-groups/application/licences.consumer';
import { licenseAssetGroupsProjection } from '../src/asset-groups/application/asset-groups.projection';
import { groupArn, groupIdFor, rulesetArn, rulesetIdFor } from '../src/asset-groups/domain/arn';
import type { AssetGroupsEvent } from '../src/asset-groups/domain/events';
import { groupStream } from '../src/asset-groups/domain/group';
import { rulesetStream } from '../src/asset-groups/domain/ruleset';
import { LicensingService } from '../src/licensing.service';
import { LICENSING_SCHEMA } from '../src/shared/schema';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const REGION = 'us-east-1';
const SELLER = '111111111111';
const BUYER = '222222222222';
const OTHER_BUYER = '333333333333';
const MANAGEMENT = '444444444444';
const SKU = 'SKU-RECEIVED';

let ids = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();

/** A licence event as grants' relay publishes it (the contract's data), at its place in the licence's stream. */
function licenceEvent<T extends LicenseEventType>(
  licenseId: string,
  streamVersion: number,
  type: T,
  data: LicenseEventData[T],
): LicenseEventMessage<T> {
  return {
    service: 'grants',
    eventId: `licence-event-${++ids}`,
    streamName: `license-${licenseId}`,
    streamVersion,
    schemaVersion: 1,
    recordedAt: at(streamVersion),
    type,
    data,
  } as LicenseEventMessage<T>;
}

/** A grant event as grants' relay publishes it, at its place in the grant's stream. */
function grantEvent<T extends GrantEventType>(
  grantId: string,
  streamVersion: number,
  type: T,
  data: GrantEventData[T],
): GrantEventMessage<T> {
  return {
    service: 'grants',
    eventId: `grant-event-${++ids}`,
    streamName: `grant-${grantId}`,
    streamVersion,
    schemaVersion: 1,
    recordedAt: at(streamVersion),
    type,
    data,
  } as GrantEventMessage<T>;
}

const licenceArn = (id: string) => `arn:aws:license-manager::${SELLER}:license:l-${id}`;
const grantArnOf = (grantor: string, id: string) => `arn:aws:license-manager::${grantor}:grant:g-${id}`;

function licenceDocument(id: string, version: string, status: LicenseManager.LicenseStatus): LicenseDocument {
  return {
    LicenseArn: licenceArn(id),
    LicenseName: 'Received product',
    ProductName: 'Product',
    ProductSKU: SKU,
    Issuer: { Name: 'Example ISV', KeyFingerprint: 'aws:294406891311:AWS/LicenseManager:issuer-fingerprint' },
    HomeRegion: REGION,
    Status: status,
    Validity: { Begin: at(0), End: at(600) },
    Beneficiary: 'customer@example.com',
    Entitlements: [{ Name: 'seats', Unit: 'Count', MaxCount: 10 }],
    ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    Version: version,
    CreateTime: at(0),
  };
}

/** The licence's events: created, a new version, expired, revived by a version, deleted. */
function licenceHistory(id: string) {
  const arn = licenceArn(id);
  const idempotency = { clientToken: `token-${id}`, requestHash: 'hash' };
  return {
    created: licenceEvent(id, 1, 'LicenseCreated', {
      license: licenceDocument(id, '1', 'AVAILABLE'),
      issuerAccountId: SELLER,
      tags: [],
      ...idempotency,
    }),
    expired: licenceEvent(id, 2, 'LicenseExpired', {
      licenseArn: arn,
      version: '1',
      validityEnd: at(2),
      expiredAt: at(2),
    }),
    renewed: licenceEvent(id, 3, 'LicenseVersionCreated', {
      licenseArn: arn,
      version: '2',
      sourceVersion: '1',
      resetUsage: false,
      license: licenceDocument(id, '2', 'AVAILABLE'),
      ...idempotency,
    }),
    deleted: licenceEvent(id, 4, 'LicenseDeleted', { licenseArn: arn, version: '2', deletionDate: at(4) }),
  };
}

/** An account grant of the licence from the seller: created, accepted, a version, activated, disabled, activated, deleted. */
function grantHistory(grantId: string, licenseId: string, grantee: string, parentArn = licenceArn(licenseId)) {
  const grantArn = grantArnOf(SELLER, grantId);
  const change = (version: number) => ({ grantArn, version: String(version), at: at(version) });
  return {
    created: grantEvent(grantId, 1, 'GrantCreated', {
      grant: {
        GrantArn: grantArn,
        GrantName: `grant to ${grantee}`,
        ParentArn: parentArn,
        LicenseArn: licenceArn(licenseId),
        GranteePrincipalArn: `arn:aws:iam::${grantee}:root`,
        HomeRegion: REGION,
        GrantStatus: 'PENDING_ACCEPT',
        Version: '1',
        GrantedOperations: ['CheckoutLicense'],
      },
      grantorAccountId: SELLER,
      principal: { kind: 'account', accountId: grantee },
      licenseIssuerAccountId: SELLER,
      licenseIssuerName: 'Example ISV',
      productSku: SKU,
      createdAt: at(1),
      tags: [],
      clientToken: `token-${grantId}`,
      requestHash: 'hash',
    }),
    accepted: grantEvent(grantId, 2, 'GrantAccepted', change(2)),
    versioned: grantEvent(grantId, 3, 'GrantVersionCreated', {
      ...change(3),
      grantName: `grant to ${grantee}`,
      grantedOperations: ['CheckoutLicense'],
      clientToken: `token-${grantId}-v3`,
      requestHash: 'hash',
    }),
    activated: grantEvent(grantId, 4, 'GrantActivated', change(4)),
    disabled: grantEvent(grantId, 5, 'GrantDisabled', change(5)),
    reactivated: grantEvent(grantId, 6, 'GrantActivated', change(6)),
    deleted: grantEvent(grantId, 7, 'GrantDeleted', change(7)),
  };
}

/** A custom ruleset finding the product's licences, and a group of `owner` using it. */
function groupWithLicenceRule(owner: string, token: string): { arn: string; events: Recorded<AssetGroupsEvent>[] } {
  const rulesetId = rulesetIdFor(owner, REGION, token);
  const ruleset = rulesetArn(REGION, owner, rulesetId);
  const groupId = groupIdFor(owner, REGION, token);
  const group = groupArn(REGION, owner, groupId);
  const recorded = (streamName: string, event: AssetGroupsEvent): Recorded<AssetGroupsEvent> =>
    ({
      ...event,
      eventId: `group-event-${++ids}`,
      streamName,
      streamVersion: 1,
      position: String(ids).padStart(20, '0'),
      metadata: {},
      recordedAt: new Date(at(0)),
    }) as Recorded<AssetGroupsEvent>;
  const idempotency = { clientToken: token, requestHash: 'hash', tags: {}, createdAt: at(0), region: REGION };
  return {
    arn: group,
    events: [
      recorded(rulesetStream(rulesetId), {
        type: 'LicenseAssetRulesetCreated',
        data: {
          id: rulesetId,
          arn: ruleset,
          ownerAccountId: owner,
          name: 'Received product',
          rules: [
            {
              RuleStatement: {
                LicenseRuleStatement: {
                  MatchingRuleStatement: { KeyToMatch: 'ProductSKU', Constraint: 'EQUALS', ValueToMatch: [SKU] },
                },
              },
            },
          ],
          ...idempotency,
        },
      }),
      recorded(groupStream(groupId), {
        type: 'LicenseAssetGroupCreated',
        data: {
          id: groupId,
          arn: group,
          ownerAccountId: owner,
          name: 'Received product',
          usageDimension: 'Instance',
          rulesetArns: [ruleset],
          properties: [],
          status: 'ACTIVE',
          ...idempotency,
        },
      }),
    ],
  };
}

describe("license asset groups: licences received through grants (grants' events as the contract says)", () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const licences = new LicencesConsumer();
  const grants = new GrantsConsumer();

  /** One delivery of an event to its consumer, in its own transaction, as the durable consumers apply it. */
  const deliver = (event: LicenseEventMessage | GrantEventMessage) =>
    storage.db
      .transaction()
      .execute((trx) => (event.type.startsWith('Grant') ? grants : licences).handle(event as never, trx));
  const deliverAll = async (...events: (LicenseEventMessage | GrantEventMessage)[]) => {
    for (const event of events) await deliver(event);
  };
  const createGroup = async (owner: string, token: string) => {
    const { arn, events } = groupWithLicenceRule(owner, token);
    await storage.db
      .transaction()
      .execute((trx) => applyProjection(licenseAssetGroupsProjection, events as never, trx));
    return arn;
  };
  /** The licences a group lists (ListAssetsForLicenseAssetGroup, AssetType License). */
  const licencesOf = async (group: string) =>
    (
      await storage.db
        .withSchema(LICENSING_SCHEMA)
        .selectFrom('license_asset_group_members')
        .select('asset_arn')
        .where('group_arn', '=', group)
        .where('asset_type', '=', 'License')
        .orderBy('asset_arn')
        .execute()
    ).map((row) => row.asset_arn);
  const statusIn = async (group: string, licenseArn: string) => {
    const row = await storage.db
      .withSchema(LICENSING_SCHEMA)
      .selectFrom('license_asset_licences')
      .select('asset')
      .where('license_arn', '=', licenseArn)
      .executeTakeFirstOrThrow();
    expect(await licencesOf(group)).toContain(licenseArn);
    return (row.asset as { values: { LicenseStatus: string[] } }).values.LicenseStatus;
  };

  let sellerGroup: string;
  let buyerGroup: string;
  let otherBuyerGroup: string;

  beforeAll(async () => {
    database = await createTestDatabase('lm_asset_received');
    storage = await openServiceStorageOf(LicensingService, { DATABASE_URL: database.url });
    sellerGroup = await createGroup(SELLER, 'seller');
    buyerGroup = await createGroup(BUYER, 'buyer');
    otherBuyerGroup = await createGroup(OTHER_BUYER, 'other-buyer');
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it("a licence joins the buyer's group only while its grant is ACTIVE, whatever order the events arrive in", async () => {
    const licence = licenceHistory('a1');
    const grant = grantHistory('a1', 'a1', BUYER);
    const arn = licenceArn('a1');
    // The grant's activation first, then its creation, and the licence last (another stream, later).
    await deliverAll(grant.activated, grant.created);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    await deliver(licence.created);
    expect(await licencesOf(sellerGroup)).toEqual([arn]);
    expect(await licencesOf(buyerGroup)).toEqual([arn]);
    expect(await licencesOf(otherBuyerGroup)).toEqual([]);
    // Its acceptance and version redelivered late, everything again: still ACTIVE.
    await deliverAll(grant.accepted, grant.versioned, grant.created, grant.activated, licence.created);
    expect(await licencesOf(buyerGroup)).toEqual([arn]);

    await deliver(grant.disabled);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    expect(await licencesOf(sellerGroup)).toEqual([arn]);
    // The activation redelivered after the deactivation changes nothing; a later activation does.
    await deliver(grant.activated);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    await deliver(grant.reactivated);
    expect(await licencesOf(buyerGroup)).toEqual([arn]);
    await deliver(grant.deleted);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    await deliverAll(grant.reactivated, grant.disabled);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    expect(await licencesOf(sellerGroup)).toEqual([arn]);
  });

  it('an expired or deleted licence leaves the buyer; its issuer keeps it with that status; late versions change nothing', async () => {
    const licence = licenceHistory('b1');
    const grant = grantHistory('b1', 'b1', BUYER);
    const arn = licenceArn('b1');
    await deliverAll(licence.created, grant.created, grant.accepted, grant.activated);
    expect(await licencesOf(buyerGroup)).toEqual([arn]);

    await deliver(licence.expired);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    expect(await statusIn(sellerGroup, arn)).toEqual(['EXPIRED']);
    // A new version makes it AVAILABLE again.
    await deliver(licence.renewed);
    expect(await licencesOf(buyerGroup)).toEqual([arn]);
    expect(await statusIn(sellerGroup, arn)).toEqual(['AVAILABLE']);
    // The expiry and the creation redelivered late: the later version stands.
    await deliverAll(licence.expired, licence.created);
    expect(await licencesOf(buyerGroup)).toEqual([arn]);
    expect(await statusIn(sellerGroup, arn)).toEqual(['AVAILABLE']);

    await deliver(licence.deleted);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    expect(await statusIn(sellerGroup, arn)).toEqual(['DELETED']);
    await deliverAll(licence.renewed, licence.created, grant.activated);
    expect(await licencesOf(buyerGroup)).toEqual([]);
    expect(await statusIn(sellerGroup, arn)).toEqual(['DELETED']);
  });

  it('a deletion that arrives before the creation still leaves the licence deleted', async () => {
    const licence = licenceHistory('c1');
    const grant = grantHistory('c1', 'c1', BUYER);
    await deliverAll(grant.created, grant.accepted, grant.activated, licence.deleted, licence.created);
    expect(await licencesOf(buyerGroup)).not.toContain(licenceArn('c1'));
    expect(await statusIn(sellerGroup, licenceArn('c1'))).toEqual(['DELETED']);
  });

  it('a group created after the grant was activated finds the received licence; one of another account does not', async () => {
    const licence = licenceHistory('d1');
    const grant = grantHistory('d1', 'd1', BUYER);
    await deliverAll(licence.created, grant.created, grant.accepted, grant.activated);
    const later = await createGroup(BUYER, 'buyer-later');
    expect(await licencesOf(later)).toContain(licenceArn('d1'));
    expect(await licencesOf(otherBuyerGroup)).not.toContain(licenceArn('d1'));
  });

  it('a sub-grant of an organization grant gives the licence while it is ACTIVE and its parent WORKFLOW_COMPLETED', async () => {
    const licence = licenceHistory('f1');
    const arn = licenceArn('f1');
    const parentArn = grantArnOf(MANAGEMENT, 'f-org');
    const organization = grantHistory('f-org', 'f1', MANAGEMENT);
    const parentCreated = grantEvent('f-org', 1, 'GrantCreated', {
      ...organization.created.data,
      grant: { ...organization.created.data.grant, GrantArn: parentArn, GrantStatus: 'PENDING_WORKFLOW' },
      principal: { kind: 'organization', managementAccountId: MANAGEMENT, organizationId: 'o-lmtest0001' },
      coveredAccountIds: [OTHER_BUYER],
    });
    const change = (version: number) => ({ grantArn: parentArn, version: String(version), at: at(version) });
    const sub = grantHistory('f-sub', 'f1', OTHER_BUYER, parentArn);
    const subCreated = grantEvent('f-sub', 1, 'GrantCreated', {
      ...sub.created.data,
      grant: { ...sub.created.data.grant, GrantStatus: 'DISABLED' },
    });
    await deliverAll(licence.created, parentCreated, subCreated, sub.activated);
    // Activated before its parent's distribution is known: not yet.
    expect(await licencesOf(otherBuyerGroup)).not.toContain(arn);
    await deliver(
      grantEvent('f-org', 2, 'GrantDistributed', { ...change(2), subGrantArns: [sub.created.data.grant.GrantArn] }),
    );
    expect(await licencesOf(otherBuyerGroup)).toContain(arn);
    // The parent's deletion recalls it.
    await deliver(grantEvent('f-org', 3, 'GrantDeletionStarted', change(3)));
    expect(await licencesOf(otherBuyerGroup)).not.toContain(arn);
  });

  it('a grant distributed from a received grant gives the licence while both are ACTIVE; a rejected one never', async () => {
    const licence = licenceHistory('e1');
    const toBuyer = grantHistory('e1', 'e1', BUYER);
    const onward = grantHistory('e2', 'e1', OTHER_BUYER, grantArnOf(SELLER, 'e1'));
    const arn = licenceArn('e1');
    // The onward grant activated before the grant it comes from is known.
    await deliverAll(licence.created, onward.created, onward.accepted, onward.activated);
    expect(await licencesOf(otherBuyerGroup)).not.toContain(arn);
    await deliverAll(toBuyer.created, toBuyer.accepted, toBuyer.activated);
    expect(await licencesOf(otherBuyerGroup)).toContain(arn);
    await deliver(toBuyer.disabled);
    expect(await licencesOf(otherBuyerGroup)).not.toContain(arn);
    expect(await licencesOf(buyerGroup)).not.toContain(arn);

    const rejected = grantHistory('e3', 'e1', MANAGEMENT);
    const managementGroup = await createGroup(MANAGEMENT, 'management');
    // The rejection first: the creation arriving after it leaves it rejected.
    await deliverAll(
      grantEvent('e3', 2, 'GrantRejected', { grantArn: grantArnOf(SELLER, 'e3'), version: '2', at: at(2) }),
      rejected.created,
    );
    expect(await licencesOf(managementGroup)).not.toContain(arn);
  });
});

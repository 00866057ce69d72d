import { randomUUID } from 'node:crypto';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import type { Clock } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantCommands } from '../src/grants/application/grant.commands';
import { GrantDistribution } from '../src/grants/application/grant-distribution.consumer';
import { GrantQueries } from '../src/grants/application/grant.queries';
import { ViewLicenseAccess } from '../src/grants/application/view-license-access';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { GrantsService } from '../src/grants.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { licenseAndGrantCommands } from './license-and-grant-commands';

const region = 'us-east-1';
const ENGINEERING_OU = 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering';
const memberAccounts = [
  { accountId: '111111111111', organizationalUnitPath: ['r-lmdv'] },
  { accountId: '222222222222', organizationalUnitPath: ['ou-lmdv-engineering', 'r-lmdv'] },
];
/** The management account, told of its organization's accounts as the gateway tells it. */
const managing = (members: typeof memberAccounts): Caller => ({
  accountId: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:root',
  accessKeyId: 'AKIA111111111111',
  region,
  organization: {
    id: 'o-lmdev00001',
    managementAccountId: '111111111111',
    rootId: 'r-lmdv',
    organizationalUnitPath: ['r-lmdv'],
    memberAccountIds: members.map((m) => m.accountId),
    memberAccounts: members,
  },
});
const issuer = managing(memberAccounts);

/** The distribution workflow on the grants event store: replayed events change nothing; nobody to distribute to fails it. */
describe('GrantDistribution', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  const clock: Clock = { now: () => new Date('2026-06-01T00:00:00Z') };
  let grants: GrantCommands;
  let queries: GrantQueries;
  let distribution: GrantDistribution;
  let licenseArn: string;

  const grantTo = async (principal: string, by = issuer) =>
    (
      await grants.create(by, {
        GrantName: 'g',
        LicenseArn: licenseArn,
        Principals: [principal],
        HomeRegion: region,
        AllowedOperations: ['CheckoutLicense'],
        ClientToken: randomUUID(),
      })
    ).GrantArn!;
  const statusOf = async (GrantArn: string) => (await queries.get(issuer, { GrantArn })).Grant!;
  const distributed = async (): Promise<LicenseManager.Grant[]> => (await queries.listDistributed(issuer, {})).Grants!;
  /** Feeds the workflow every event recorded so far, as a restarted subscription without its checkpoint would. */
  const replayAll = async () => distribution.handle(await infra.store.readAll());

  beforeAll(async () => {
    database = await createTestDatabase('lm_grants');
    infra = await openServiceStorageOf(GrantsService, { DATABASE_URL: database.url });
    const access = new ViewLicenseAccess(infra.db, clock);
    const commands = licenseAndGrantCommands(infra, clock, region, access);
    const { licenses } = commands;
    grants = commands.grants;
    queries = new GrantQueries(infra.db);
    distribution = new GrantDistribution(infra.store, infra.db, clock);
    licenseArn = (
      await licenses.create(issuer, {
        LicenseName: 'Analytics',
        ProductName: 'Analytics',
        ProductSKU: 'sku-1',
        Issuer: { Name: 'Example ISV', SignKey: 'k' },
        HomeRegion: region,
        Validity: { Begin: '2026-01-01T00:00:00Z' },
        Entitlements: [{ Name: 'Users', Unit: 'Count', MaxCount: 10 }],
        Beneficiary: 'customer',
        ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      })
    ).LicenseArn!;
  });
  afterAll(async () => {
    await infra?.store.close();
    await infra?.db.destroy();
    await database?.drop();
  });

  it('distributes once however often the events are replayed, and recalls once', async () => {
    const parent = await grantTo(ENGINEERING_OU);
    await replayAll();
    await replayAll();
    expect(await statusOf(parent)).toMatchObject({ GrantStatus: 'WORKFLOW_COMPLETED', Version: '2' });
    const subGrants = (await distributed()).filter((g) => g.ParentArn === parent);
    expect(subGrants).toMatchObject([
      { GranteePrincipalArn: 'arn:aws:iam::222222222222:root', GrantStatus: 'DISABLED' },
    ]);

    await grants.delete(issuer, { GrantArn: parent, Version: '2' });
    expect(await statusOf(parent)).toMatchObject({ GrantStatus: 'PENDING_DELETE' });
    await replayAll();
    await replayAll();
    expect(await statusOf(parent)).toMatchObject({ GrantStatus: 'DELETED', Version: '4' });
    expect(await statusOf(subGrants[0].GrantArn!)).toMatchObject({ GrantStatus: 'DELETED', Version: '2' });
  });

  it('fails the distribution of a grant that covers no account but the grantor (FAILED_WORKFLOW, with the reason)', async () => {
    const parent = await grantTo(ENGINEERING_OU, managing(memberAccounts.slice(0, 1)));
    await replayAll();
    expect(await statusOf(parent)).toMatchObject({
      GrantStatus: 'FAILED_WORKFLOW',
      StatusReason: expect.stringContaining('covers no account'),
    });
    expect((await distributed()).filter((g) => g.ParentArn === parent)).toEqual([]);
  });

  it('deletes a grant still PENDING_WORKFLOW without distributing it', async () => {
    const parent = await grantTo(ENGINEERING_OU);
    await grants.delete(issuer, { GrantArn: parent, Version: '1' });
    await replayAll();
    expect(await statusOf(parent)).toMatchObject({ GrantStatus: 'DELETED' });
    expect((await distributed()).filter((g) => g.ParentArn === parent)).toEqual([]);
  });
});

import type { Caller, DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceTerminations } from '../src/instances/application/instance-terminations';
import { InventoryInstancesConsumer } from '../src/instances/application/inventory-instances.consumer';
import { UserSubscriptionInstances } from '../src/instances/application/user-subscription-instances';
import { productCodeTableOf } from '../src/instances/domain/product-codes';
import { AssociationCommands } from '../src/user-associations/application/association.commands';
import { AssociationSteps } from '../src/user-associations/application/association.steps';
import { UserSubscriptionsService } from '../src/user-subscriptions.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const region = 'us-east-1';
const accountId = '111111111111';
const caller = { accountId, region, principalArn: `arn:aws:iam::${accountId}:root`, accessKeyId: 'AKIA1' } as Caller;
const DIRECTORY_ID = 'd-0123456789';
const SUBNET = 'subnet-0aa11bb22cc33dd44';
const DOMAIN = 'corp.example.com';
const identityProvider = { ActiveDirectoryIdentityProvider: { DirectoryId: DIRECTORY_ID } };

/** A discovery event of an EC2 instance of the account, as JetStream delivers it. */
function discoveryEvent(
  instanceId: string,
  type: 'ResourceObserved' | 'ResourceObservationRefreshed' | 'ResourceInactivated',
  data: Record<string, unknown>,
): DomainEventMessage {
  return {
    service: 'discovery',
    eventId: `${instanceId}-${type}-${JSON.stringify(data)}`,
    streamName: `inventory-resource/${accountId}/${region}/EC2_INSTANCE/${instanceId}`,
    streamVersion: 1,
    type,
    schemaVersion: 1,
    recordedAt: new Date().toISOString(),
    data: {
      accountId,
      region,
      resourceId: instanceId,
      resourceType: 'EC2_INSTANCE',
      resourceArn: `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`,
      ...data,
    },
  };
}
const observed = (instanceId: string, state: string, observedAt: string, extra: Record<string, unknown> = {}) =>
  discoveryEvent(instanceId, 'ResourceObserved', { state, observedAt, subnetId: SUBNET, productCodes: [], ...extra });

/**
 * Instances followed from discovery's events and user associations on PostgreSQL, with the views of
 * the identity providers and product subscriptions slices written as those slices write them: event
 * order and redelivery, termination disassociating, and the 25-instance quota under concurrency.
 */
describe('instances and user associations on PostgreSQL', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  let consumer: InventoryInstancesConsumer;
  let instances: UserSubscriptionInstances;
  let commands: AssociationCommands;
  let steps: AssociationSteps;
  const consume = (event: DomainEventMessage) => storage.db.transaction().execute((trx) => consumer.handle(event, trx));
  const eventTypes = async () =>
    (
      await sql<{
        type: string;
      }>`select type from user_subscriptions.events where type like 'User%' order by global_position`.execute(
        storage.db,
      )
    ).rows.map((row) => row.type);

  beforeAll(async () => {
    database = await createTestDatabase('lm_user_subscriptions_associations');
    storage = await openServiceStorageOf(UserSubscriptionsService, { DATABASE_URL: database.url });
    const table = productCodeTableOf({ officeonly: ['OFFICE_PROFESSIONAL_PLUS'] });
    instances = new UserSubscriptionInstances(storage.db, table);
    const terminations = new InstanceTerminations();
    consumer = new InventoryInstancesConsumer(storage.store, terminations);
    steps = new AssociationSteps(storage.db, storage.store, clock, instances, terminations);
    steps.onModuleInit();
    commands = new AssociationCommands(storage.store, storage.db, clock, region, instances, steps);
    const db = storage.db.withSchema('user_subscriptions');
    const registration = {
      arn: `arn:aws:license-manager-user-subscriptions:${region}:${accountId}:identity-provider/vs`,
      accountId,
      region,
      product: 'VISUAL_STUDIO_ENTERPRISE',
      directory: { directoryId: DIRECTORY_ID, type: 'AWS_MANAGED', shared: false, domainName: DOMAIN },
      settings: { subnets: [SUBNET], securityGroupId: '' },
      tags: {},
      status: 'REGISTERED',
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    };
    await db
      .insertInto('identity_providers' as never)
      .values({
        arn: registration.arn,
        account_id: accountId,
        region,
        directory_id: DIRECTORY_ID,
        product: registration.product,
        status: 'REGISTERED',
        domain_name: DOMAIN,
        subnets: JSON.stringify([SUBNET]),
        created_at: registration.createdAt,
        stream_version: 1,
        state: JSON.stringify(registration),
      } as never)
      .execute();
    for (const username of ['alice', 'bob'])
      await db
        .insertInto('product_subscriptions' as never)
        .values({
          arn: `arn:aws:license-manager-user-subscriptions:${region}:${accountId}:product-user/${username}`,
          account_id: accountId,
          region,
          identity_provider_arn: registration.arn,
          directory_id: DIRECTORY_ID,
          product: registration.product,
          username,
          domain: DOMAIN,
          status: 'SUBSCRIBED',
          requested_at: registration.createdAt,
          stream_version: 2,
          state: JSON.stringify({}),
        } as never)
        .execute();
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('follows an instance from discovery’s events: an older one changes nothing, codes naming other products hide it', async () => {
    await consume(observed('i-01', 'stopped', '2026-06-01T09:05:00.000Z'));
    await consume(observed('i-01', 'running', '2026-06-01T09:01:00.000Z'));
    expect((await instances.of(accountId, region)).map((i) => [i.instance.instanceId, i.instance.status])).toEqual([
      ['i-01', 'UNHEALTHY'],
    ]);
    await consume(observed('i-01', 'running', '2026-06-01T09:06:00.000Z'));
    await consume(
      observed('i-02', 'running', '2026-06-01T09:06:00.000Z', {
        productCodes: [{ productCodeId: 'officeonly', productCodeType: 'marketplace' }],
      }),
    );
    await consume(observed('i-03', 'running', '2026-06-01T09:06:00.000Z', { subnetId: 'subnet-0ff99ee88dd77cc66' }));
    expect(await instances.of(accountId, region)).toEqual([
      {
        instance: expect.objectContaining({ instanceId: 'i-01', status: 'ACTIVE', subnetId: SUBNET }),
        directoryId: DIRECTORY_ID,
        products: ['VISUAL_STUDIO_ENTERPRISE'],
        identityProviderArns: [expect.stringContaining('identity-provider/vs')],
        lastStatusCheck: '2026-06-01T09:06:00.000Z',
      },
    ]);
    // Each change is an event of the instance's own; the late observation decided nothing.
    const instanceEvents = await sql<{ type: string }>`
      select type from user_subscriptions.events where stream_name like 'instance-%.i-01' order by global_position`.execute(
      storage.db,
    );
    expect(instanceEvents.rows.map((row) => row.type)).toEqual(['InstanceTracked', 'InstanceBecameActive']);
    // Seen again unchanged: the last status check moves, the instance records nothing.
    await consume(discoveryEvent('i-01', 'ResourceObservationRefreshed', { observedAt: '2026-06-02T09:06:00.000Z' }));
    const [refreshed] = await instances.of(accountId, region, { instanceId: 'i-01' });
    expect(refreshed.lastStatusCheck).toBe('2026-06-02T09:06:00.000Z');
    expect(refreshed.instance.observedAt).toBe('2026-06-01T09:06:00.000Z');
    // One a page: the hidden instance does not end the paging.
    expect((await instances.of(accountId, region, { limit: 1 })).map((i) => i.instance.instanceId)).toEqual(['i-01']);
  });

  it('disassociates the users of a terminated instance once, however often the event comes', async () => {
    const answer = await commands.associate(caller, {
      Username: 'alice',
      InstanceId: 'i-01',
      IdentityProvider: identityProvider,
    });
    expect(answer.InstanceUserSummary.Status).toBe('ASSOCIATING');
    await steps.sweep();
    const terminated = observed('i-01', 'terminated', '2026-06-01T09:10:00.000Z');
    await consume(terminated);
    await consume(terminated);
    await consume(discoveryEvent('i-01', 'ResourceInactivated', { lastObservedAt: '', inactivatedAt: '2026-07-01' }));
    expect(await eventTypes()).toEqual(['UserAssociationRequested', 'UserAssociated', 'UserDisassociated']);
    const { rows } = await sql<{
      status: string;
      state: { statusMessage: string };
    }>`select status, state from user_subscriptions.user_associations`.execute(storage.db);
    expect(rows).toEqual([
      {
        status: 'DISASSOCIATED',
        state: expect.objectContaining({ statusMessage: 'Instance i-01 was terminated: its users are disassociated.' }),
      },
    ]);
  });

  it('associates exactly 25 of 40 concurrent requests for one user, and counts them back down', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `i-1${String(i).padStart(2, '0')}`);
    for (const id of ids) await consume(observed(id, 'running', '2026-06-01T09:20:00.000Z'));
    const settled = await Promise.allSettled(
      ids.map((id) =>
        commands.associate(caller, { Username: 'bob', InstanceId: id, IdentityProvider: identityProvider }),
      ),
    );
    const refused = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).name] : []));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(25);
    expect(refused).toEqual(Array(15).fill('ServiceQuotaExceededException'));
    const counts = async () =>
      (
        await sql<{
          count: number;
        }>`select count from user_subscriptions.user_instance_counts where user_key like '%bob'`.execute(storage.db)
      ).rows;
    expect(await counts()).toEqual([{ count: 25 }]);
    const first = settled.find((s) => s.status === 'fulfilled')!;
    await commands.disassociate(caller, {
      InstanceUserArn: (first as PromiseFulfilledResult<{ InstanceUserSummary: { InstanceUserArn?: string } }>).value
        .InstanceUserSummary.InstanceUserArn,
    });
    expect(await counts()).toEqual([{ count: 24 }]);
  });
});

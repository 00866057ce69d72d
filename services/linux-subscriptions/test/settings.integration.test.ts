import type { Caller, DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeactivationBlockers } from '../src/settings/application/deactivation-blockers';
import type { Discovery } from '../src/settings/application/discovery';
import { DiscoveryActivations } from '../src/settings/application/discovery-activations';
import { DiscoverySettingsCommands } from '../src/settings/application/discovery-settings.commands';
import { DiscoverySettingsLookup } from '../src/settings/application/discovery-settings.lookup';
import { ServiceSettingsQueries } from '../src/settings/application/discovery-settings.queries';
import { DiscoverySteps } from '../src/settings/application/discovery-steps';
import { OrganizationLinks } from '../src/settings/application/organization-links';
import { OrganizationLinksConsumer } from '../src/settings/application/organization-links.consumer';
import { RegionNotes } from '../src/settings/application/region-notes';
import { LinuxSubscriptionsService } from '../src/linux-subscriptions.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const region = 'us-east-1';
const management = '111111111111';
const member = '222222222222';
const outsider = '333333333333';
const organization = { id: 'o-lmdev00001', managementAccountId: management, rootId: 'r-lmdv' };
const callerOf = (accountId: string, inOrganization = true): Caller => ({
  accountId,
  region,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  ...(inOrganization
    ? {
        organization: {
          ...organization,
          organizationalUnitPath: ['r-lmdv'],
          ...(accountId === management ? { memberAccountIds: [management, member] } : {}),
        },
      }
    : {}),
});

/** Licensing's ServiceSettingsUpdated of the management account, as JetStream delivers it. */
const licensingSettings = (organizationIntegration: boolean, recordedAt: string): DomainEventMessage => ({
  service: 'licensing',
  eventId: `settings-${recordedAt}`,
  streamName: `service-settings-${management}-${region}`,
  streamVersion: 1,
  type: 'ServiceSettingsUpdated',
  schemaVersion: 1,
  recordedAt,
  data: {
    accountId: management,
    region,
    organizationId: organization.id,
    organizationIntegration,
    enableCrossAccountsDiscovery: false,
    enabledDiscoverySourceRegions: [],
    updatedAt: recordedAt,
  },
});

/** What the slices that discover were told, in order. */
class RecordingListener {
  readonly told: string[] = [];
  failing = false;

  async activated(accountId: string, discovery: Discovery): Promise<void> {
    if (this.failing) throw new Error('the instances could not be derived');
    this.told.push(
      `activated ${accountId} ${discovery.sourceRegions.join(',')} ${discovery.coveredAccountIds.join(',')}`,
    );
  }

  async deactivated(accountId: string): Promise<void> {
    if (this.failing) throw new Error('the instances could not be deleted');
    this.told.push(`deactivated ${accountId}`);
  }
}

/** The process stops right after each answer: only the sweep takes the steps up (a crash before `soon`). */
class SweepOnlySteps extends DiscoverySteps {
  override soon(): void {}
}

const enable = (regions: string[], changes: Record<string, unknown> = {}) => ({
  LinuxSubscriptionsDiscovery: 'Enabled' as const,
  LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled' as const, SourceRegions: regions },
  ...changes,
});

/**
 * The settings slice on PostgreSQL: the view read back in the update's transaction, the steps taken
 * up by the sweep after a crash and told to the listeners once, a listener's failure and its
 * retry, the lookup of whose discovery covers an account, licensing's organization links in any
 * order, deactivation blocked with nothing stored, and a Region's notes.
 */
describe('Linux subscriptions settings on PostgreSQL', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  const listener = new RecordingListener();
  const blockers = new DeactivationBlockers();
  const notes = new RegionNotes();
  let steps: DiscoverySteps;
  let commands: DiscoverySettingsCommands;
  let queries: ServiceSettingsQueries;
  let lookup: DiscoverySettingsLookup;
  let links: OrganizationLinksConsumer;
  const consume = (event: DomainEventMessage) => storage.db.transaction().execute((trx) => links.handle(event, trx));
  const eventsOf = async (accountId: string) =>
    (
      await sql<{ type: string }>`select type from linux_subscriptions.events
        where stream_name = ${`linux-discovery-settings-${accountId}`} order by global_position`.execute(storage.db)
    ).rows.map((row) => row.type);

  beforeAll(async () => {
    database = await createTestDatabase('lm_linux_subscriptions_settings');
    storage = await openServiceStorageOf(LinuxSubscriptionsService, { DATABASE_URL: database.url });
    const activations = new DiscoveryActivations();
    activations.add(listener);
    lookup = new DiscoverySettingsLookup(storage.db);
    queries = new ServiceSettingsQueries(lookup, notes);
    steps = new SweepOnlySteps(storage.db, storage.store, clock, activations);
    commands = new DiscoverySettingsCommands(
      storage.store,
      clock,
      region,
      blockers,
      new OrganizationLinks(storage.db, region),
      steps,
      queries,
    );
    links = new OrganizationLinksConsumer(region, storage.store, clock, steps);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('answers the update from the view, and the sweep takes its steps up once, after a crash', async () => {
    const answer = await commands.update(callerOf(outsider, false), enable(['us-east-1', 'eu-west-1']));
    expect(answer).toMatchObject({
      Status: 'InProgress',
      StatusMessage: { 'us-east-1': 'Account-Onboard: Pending', 'eu-west-1': 'Account-Onboard: Pending' },
    });
    expect(await steps.sweep()).toBe(1);
    expect(await steps.sweep()).toBe(0);
    expect(listener.told).toEqual([`activated ${outsider} us-east-1,eu-west-1 ${outsider}`]);
    expect(await queries.get(callerOf(outsider, false))).toMatchObject({
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Onboard: Successful', 'eu-west-1': 'Account-Onboard: Successful' },
    });
    expect(await eventsOf(outsider)).toEqual(['DiscoverySettingsUpdated', 'DiscoveryStepsSucceeded']);
  });

  it("fails the pending Regions with the guide's internal error when a listener throws; the same update tries again", async () => {
    const outsiderCaller = callerOf(outsider, false);
    listener.failing = true;
    await commands.update(outsiderCaller, enable(['us-east-1'], { AllowUpdate: true }));
    await steps.sweep();
    expect(await queries.get(outsiderCaller)).toMatchObject({
      Status: 'Failed',
      StatusMessage: {
        'us-east-1': 'Account-Onboard: Successful',
        'eu-west-1': 'Account-Offboard: Failed - An internal error occurred',
      },
    });
    listener.failing = false;
    const again = await commands.update(outsiderCaller, enable(['us-east-1']));
    expect(again.StatusMessage).toEqual({
      'us-east-1': 'Account-Onboard: Successful',
      'eu-west-1': 'Account-Offboard: Pending',
    });
    await steps.sweep();
    expect(listener.told.at(-1)).toBe(`activated ${outsider} us-east-1 ${outsider}`);
    expect((await queries.get(outsiderCaller)).StatusMessage['eu-west-1']).toBe('Account-Offboard: Successful');
    await commands.update(outsiderCaller, enable(['us-east-1', 'eu-west-1'], { AllowUpdate: true }));
    await steps.sweep();
    expect(await queries.get(outsiderCaller)).toMatchObject({
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Onboard: Successful', 'eu-west-1': 'Account-Onboard: Successful' },
    });
  });

  it("onboards the organization once licensing's link arrives, and falls back to the account when an older event comes late then it is unlinked", async () => {
    const enableOrganization = enable(['us-east-1'], {
      LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Enabled', SourceRegions: ['us-east-1'] },
      AllowUpdate: true,
    });
    await commands.update(callerOf(management), enableOrganization);
    await steps.sweep();
    expect((await queries.get(callerOf(management))).StatusMessage).toEqual({
      'us-east-1':
        "Account-Onboard: Successful; Org-Onboard: Failed - Linux subscriptions can't access the organization",
    });
    await consume(licensingSettings(true, '2026-06-01T09:01:00Z'));
    // An older event delivered late does not undo the link.
    await consume(licensingSettings(false, '2026-06-01T09:00:30Z'));
    await commands.update(callerOf(management), enableOrganization);
    await steps.sweep();
    expect((await queries.get(callerOf(management))).StatusMessage).toEqual({ 'us-east-1': 'Org-Onboard: Successful' });
    expect((await lookup.covering(member, 'us-east-1')).map((discovery) => discovery.accountId)).toEqual([management]);
    expect(await lookup.covering(member, 'eu-west-1')).toEqual([]);
    expect(listener.told.at(-1)).toBe(`activated ${management} us-east-1 ${management},${member}`);

    await consume(licensingSettings(false, '2026-06-01T09:02:00Z'));
    await steps.sweep();
    expect((await queries.get(callerOf(management))).StatusMessage).toEqual({
      'us-east-1':
        "Account-Onboard: Successful; Org-Onboard: Failed - Linux subscriptions can't access the organization",
    });
    expect(await lookup.covering(member, 'us-east-1')).toEqual([]);
    expect(listener.told.at(-1)).toBe(`activated ${management} us-east-1 ${management}`);
    // Redelivered, the unlinking changes nothing more.
    const before = await eventsOf(management);
    await consume(licensingSettings(false, '2026-06-01T09:02:00Z'));
    expect(await eventsOf(management)).toEqual(before);
  });

  it('refuses to disable while a blocker says so, storing nothing; then deactivates and the listeners delete', async () => {
    let providerRegistered = true;
    blockers.add(async () => (providerRegistered ? 'a Red Hat subscription provider is registered' : undefined));
    const before = await eventsOf(outsider);
    const disable = { ...enable(['us-east-1', 'eu-west-1']), LinuxSubscriptionsDiscovery: 'Disabled' as const };
    await expect(commands.update(callerOf(outsider, false), disable)).rejects.toMatchObject({
      code: 'ValidationException',
      message: 'Linux subscriptions discovery cannot be disabled: a Red Hat subscription provider is registered.',
    });
    expect(await eventsOf(outsider)).toEqual(before);
    providerRegistered = false;
    await commands.update(callerOf(outsider, false), disable);
    await steps.sweep();
    expect(listener.told.at(-1)).toBe(`deactivated ${outsider}`);
    expect(await lookup.of(outsider)).toBeUndefined();
    expect(await queries.get(callerOf(outsider, false))).toMatchObject({
      LinuxSubscriptionsDiscovery: 'Disabled',
      Status: 'Successful',
      StatusMessage: { 'us-east-1': 'Account-Offboard: Successful', 'eu-west-1': 'Account-Offboard: Successful' },
    });
  });

  it("appends other slices' notes to a Region's message", async () => {
    notes.add(async (accountId) =>
      accountId === member ? { 'us-east-1': 'Resource limit reached: 5,000 resources per account and Region' } : {},
    );
    await commands.update(callerOf(member), enable(['us-east-1']));
    await steps.sweep();
    expect((await queries.get(callerOf(member))).StatusMessage).toEqual({
      'us-east-1': 'Account-Onboard: Successful; Resource limit reached: 5,000 resources per account and Region',
    });
  });
});

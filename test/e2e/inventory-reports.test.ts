import { ListResourceInventoryCommand, type ResourceInventory } from '@aws-sdk/client-license-manager';
import { eventsStreamName } from '@lm/messaging';
import { type DomainEventMessage } from '@lm/contracts';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager, rawRequest } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

type Account = (typeof accounts)[keyof typeof accounts];
const json = JSONCodec();
const DAY = 24 * 3600_000;

describe('inventory reports (ReportResources over HTTP and on NATS)', () => {
  let system: RunningSystem;
  let nc: NatsConnection;
  let db: Client;

  /** A signed POST /inventory/ReportResources, as an integrator sends it. */
  const report = (account: Account, body: unknown) =>
    rawRequest(system, {
      account,
      method: 'POST',
      path: '/inventory/ReportResources',
      service: 'license-manager',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** The same report published on NATS, where the system's namespace puts the subject. */
  const natsReport = async (body: unknown) => {
    const data = typeof body === 'string' ? new TextEncoder().encode(body) : json.encode(body);
    const reply = await nc.request(`lm.${system.natsNamespace}.inventory.report`, data, { timeout: 10_000 });
    return { body: json.decode(reply.data) as any, errorCode: reply.headers?.get('Nats-Service-Error-Code') };
  };
  const inventory = async (account: Account): Promise<ResourceInventory[]> =>
    (await licenseManager(system, account).send(new ListResourceInventoryCommand({}))).ResourceInventoryList ?? [];
  const listedIds = async (account: Account) => (await inventory(account)).map((r) => r.ResourceId).sort();
  const eventCount = async () => Number((await db.query('select count(*) from discovery.events')).rows[0].count);

  beforeAll(async () => {
    // A quick sweep, so that the service's own schedule is seen to run (the rule itself is tested with a fake clock).
    system = await startSystem({ LM_DISCOVERY_SWEEP_INTERVAL_MS: '300' });
    nc = await connect({ servers: process.env.NATS_URL });
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await nc?.close();
    await system?.stop();
  });

  it('records each resource type, with its ARN as AWS writes it', async () => {
    const response = await report(accounts.member, {
      Resources: [
        {
          ResourceId: 'i-0a1',
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          Platform: 'Windows',
          InstanceType: 'm5.xlarge',
          AmiId: 'ami-0a1',
          HostId: 'h-0a1',
          UsageOperation: 'RunInstances:0002',
        },
        { ResourceId: 'ami-0a1', ResourceType: 'EC2_AMI', State: 'available', Region: 'eu-west-1' },
        { ResourceId: 'h-0a1', ResourceType: 'EC2_HOST', State: 'available' },
        { ResourceId: 'orcl-1', ResourceType: 'RDS', State: 'stopped', Platform: 'oracle-ee' },
        {
          ResourceId: 'mi-0a1',
          ResourceType: 'SYSTEMS_MANAGER_MANAGED_INSTANCE',
          State: 'running',
          Platform: 'Ubuntu',
          PlatformVersion: '22.04',
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ Accepted: 5, Failed: [] });
    const listed = await inventory(accounts.member);
    expect(Object.fromEntries(listed.map((r) => [r.ResourceId, r.ResourceArn]))).toEqual({
      'i-0a1': 'arn:aws:ec2:us-east-1:222222222222:instance/i-0a1',
      'ami-0a1': 'arn:aws:ec2:eu-west-1::image/ami-0a1',
      'h-0a1': 'arn:aws:ec2:us-east-1:222222222222:dedicated-host/h-0a1',
      'orcl-1': 'arn:aws:rds:us-east-1:222222222222:db:orcl-1',
      'mi-0a1': 'arn:aws:ssm:us-east-1:222222222222:managed-instance/mi-0a1',
    });
    expect(listed.find((r) => r.ResourceId === 'i-0a1')).toEqual({
      ResourceId: 'i-0a1',
      ResourceType: 'EC2_INSTANCE',
      ResourceArn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0a1',
      Platform: 'Windows',
      ResourceOwningAccountId: '222222222222',
      UsageOperation: 'RunInstances:0002',
      AmiId: 'ami-0a1',
      HostId: 'h-0a1',
      Region: 'us-east-1',
      InstanceType: 'm5.xlarge',
    });
  });

  it('records nothing when the same thing is reported again', async () => {
    const body = {
      Resources: [
        {
          ResourceId: 'i-same',
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          Tags: [
            { Key: 'a', Value: '1' },
            { Key: 'b', Value: '2' },
          ],
        },
        {
          ResourceId: 'i-same-at',
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          ObservedAt: new Date().toISOString(),
        },
      ],
    };
    expect((await report(accounts.member, body)).json).toEqual({ Accepted: 2, Failed: [] });
    const before = await eventCount();
    expect((await report(accounts.member, body)).json).toEqual({ Accepted: 2, Failed: [] });
    const reordered = {
      Resources: [
        {
          ...body.Resources[0],
          Tags: [
            { Key: 'b', Value: '2' },
            { Key: 'a', Value: '1' },
          ],
        },
      ],
    };
    expect((await report(accounts.member, reordered)).json).toEqual({ Accepted: 1, Failed: [] });
    expect(await eventCount()).toBe(before);
  });

  it('ignores a report older than the last one seen', async () => {
    const now = Date.now();
    const resource = { ResourceId: 'i-late', ResourceType: 'EC2_INSTANCE' };
    await report(accounts.member, {
      Resources: [{ ...resource, State: 'terminated', ObservedAt: new Date(now - 60_000).toISOString() }],
    });
    const before = await eventCount();
    // epoch seconds, as SDKs send timestamps, and two hours older
    const stale = await report(accounts.member, {
      Resources: [{ ...resource, State: 'running', ObservedAt: (now - 2 * 3600_000) / 1000 }],
    });
    expect(stale.json).toEqual({ Accepted: 1, Failed: [] });
    expect(await eventCount()).toBe(before);
    expect(await listedIds(accounts.member)).not.toContain('i-late');
  });

  it('lists stopped resources, not terminated instances, deregistered AMIs or released hosts', async () => {
    await report(accounts.nestedMember, {
      Resources: [
        { ResourceId: 'i-stopped', ResourceType: 'EC2_INSTANCE', State: 'stopped' },
        { ResourceId: 'i-gone', ResourceType: 'EC2_INSTANCE', State: 'terminated' },
        { ResourceId: 'ami-gone', ResourceType: 'EC2_AMI', State: 'deregistered' },
        { ResourceId: 'h-gone', ResourceType: 'EC2_HOST', State: 'released' },
        { ResourceId: 'db-gone', ResourceType: 'RDS', State: 'terminated' },
      ],
    });
    expect(await listedIds(accounts.nestedMember)).toEqual(['i-stopped']);
    await report(accounts.nestedMember, {
      Resources: [{ ResourceId: 'i-stopped', ResourceType: 'EC2_INSTANCE', State: 'terminated' }],
    });
    expect(await listedIds(accounts.nestedMember)).toEqual([]);
  });

  describe('refuses a bad report as a whole (400) and stores nothing', () => {
    const good = { ResourceId: 'i-good', ResourceType: 'EC2_INSTANCE', State: 'running' };
    const cases: [name: string, body: unknown, type: string][] = [
      ['malformed JSON', '{"Resources": [', 'SerializationException'],
      ['a body that is not an object', '[1, 2]', 'SerializationException'],
      ['no Resources', {}, 'ValidationException'],
      ['no resources at all', { Resources: [] }, 'ValidationException'],
      [
        'more than 100 resources',
        { Resources: Array.from({ length: 101 }, (_, i) => ({ ...good, ResourceId: `i-${i}` })) },
        'ValidationException',
      ],
      [
        'a resource without ResourceId',
        { Resources: [good, { ResourceType: 'EC2_INSTANCE', State: 'running' }] },
        'ValidationException',
      ],
      [
        'a resource without ResourceType',
        { Resources: [good, { ResourceId: 'i-x', State: 'running' }] },
        'ValidationException',
      ],
      [
        'a resource without State',
        { Resources: [good, { ResourceId: 'i-x', ResourceType: 'EC2_INSTANCE' }] },
        'ValidationException',
      ],
      [
        'an unknown resource type',
        { Resources: [good, { ...good, ResourceType: 'EC2_VOLUME' }] },
        'ValidationException',
      ],
      ['an unknown state', { Resources: [good, { ...good, State: 'hibernating' }] }, 'ValidationException'],
      ['a negative vCPU count', { Resources: [good, { ...good, VCpuCount: -2 }] }, 'ValidationException'],
      ['a fractional core count', { Resources: [good, { ...good, CoreCount: 1.5 }] }, 'ValidationException'],
      ['an unknown tenancy', { Resources: [good, { ...good, Tenancy: 'shared' }] }, 'ValidationException'],
      ['a malformed AccountId', { Resources: [good, { ...good, AccountId: '2222' }] }, 'ValidationException'],
      [
        'an ObservedAt that is no date',
        { Resources: [good, { ...good, ObservedAt: 'yesterday' }] },
        'ValidationException',
      ],
      ['tags as a map', { Resources: [good, { ...good, Tags: { env: 'prod' } }] }, 'ValidationException'],
      [
        'an application without a name',
        { Resources: [good, { ...good, Applications: [{ Version: '1' }] }] },
        'ValidationException',
      ],
      [
        'an instance state for an AMI',
        { Resources: [good, { ResourceId: 'ami-x', ResourceType: 'EC2_AMI', State: 'running' }] },
        'ValidationException',
      ],
      [
        'an AMI state for an instance',
        { Resources: [good, { ...good, ResourceId: 'i-x', State: 'available' }] },
        'ValidationException',
      ],
      [
        'a host state for a database',
        { Resources: [good, { ResourceId: 'db-x', ResourceType: 'RDS', State: 'released' }] },
        'ValidationException',
      ],
    ];

    it.each(cases)('%s', async (_name, body, type) => {
      const before = await eventCount();
      const response = await report(accounts.member, body);
      expect({ status: response.status, type: response.headers.get('x-amzn-errortype') }).toEqual({
        status: 400,
        type,
      });
      expect(await eventCount()).toBe(before);
    });

    it('says which state does not fit which type', async () => {
      const response = await report(accounts.member, {
        Resources: [{ ResourceId: 'ami-x', ResourceType: 'EC2_AMI', State: 'stopped' }],
      });
      expect(response.json.message).toMatch(/State stopped is not a state of a EC2_AMI resource/);
    });
  });

  it('answers a resource its caller may not report in Failed, and records the others', async () => {
    const before = await eventCount();
    const future = new Date(Date.now() + DAY).toISOString();
    const response = await report(accounts.member, {
      Resources: [
        { ResourceId: 'i-mine', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '222222222222' },
        { ResourceId: 'i-management', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '111111111111' },
        { ResourceId: 'i-sibling', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '444444444444' },
        { ResourceId: 'i-future', ResourceType: 'EC2_INSTANCE', State: 'running', ObservedAt: future },
      ],
    });
    expect(response.json).toEqual({
      Accepted: 1,
      Failed: [
        {
          ResourceId: 'i-management',
          Message: 'Account 222222222222 may not report resources of account 111111111111.',
        },
        { ResourceId: 'i-sibling', Message: 'Account 222222222222 may not report resources of account 444444444444.' },
        { ResourceId: 'i-future', Message: expect.stringMatching(/is in the future/) },
      ],
    });
    expect(await eventCount()).toBe(before + 1);
    const outsider = await report(accounts.outsider, {
      Resources: [{ ResourceId: 'i-x', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '222222222222' }],
    });
    expect(outsider.json).toEqual({
      Accepted: 0,
      Failed: [{ ResourceId: 'i-x', Message: expect.stringMatching(/may not report/) }],
    });
  });

  it('lets the management account report for the accounts of its organization, not for others', async () => {
    const response = await report(accounts.management, {
      Resources: [
        { ResourceId: 'i-for-member', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '222222222222' },
        { ResourceId: 'i-for-outsider', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '333333333333' },
      ],
    });
    expect(response.json).toEqual({
      Accepted: 1,
      Failed: [{ ResourceId: 'i-for-outsider', Message: expect.stringMatching(/may not report/) }],
    });
    expect(await listedIds(accounts.member)).toContain('i-for-member');
    expect(await listedIds(accounts.management)).not.toContain('i-for-member');
  });

  it('takes reports published on NATS, where every resource names its account', async () => {
    const reply = await natsReport({
      Resources: [
        {
          ResourceId: 'i-bus',
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          AccountId: '333333333333',
          Platform: 'Linux/UNIX',
        },
        { ResourceId: 'i-anonymous', ResourceType: 'EC2_INSTANCE', State: 'running' },
      ],
    });
    expect(reply).toEqual({
      body: {
        Accepted: 1,
        Failed: [{ ResourceId: 'i-anonymous', Message: 'AccountId is required for a report published on NATS.' }],
      },
      errorCode: undefined,
    });
    expect(await inventory(accounts.outsider)).toEqual([
      expect.objectContaining({
        ResourceId: 'i-bus',
        ResourceArn: 'arn:aws:ec2:us-east-1:333333333333:instance/i-bus',
        Region: 'us-east-1',
      }),
    ]);

    const before = await eventCount();
    expect(await natsReport('{not json')).toEqual({
      body: { __type: 'SerializationException', message: expect.any(String) },
      errorCode: '400',
    });
    const misfit = await natsReport({
      Resources: [
        { ResourceId: 'i-y', ResourceType: 'EC2_INSTANCE', State: 'running', AccountId: '333333333333' },
        { ResourceId: 'h-y', ResourceType: 'EC2_HOST', State: 'stopped', AccountId: '333333333333' },
      ],
    });
    expect(misfit).toEqual({
      body: { __type: 'ValidationException', message: expect.stringMatching(/not a state of a EC2_HOST/) },
      errorCode: '400',
    });
    const tooMany = await natsReport({
      Resources: Array.from({ length: 101 }, (_, i) => ({
        ResourceId: `i-${i}`,
        ResourceType: 'EC2_INSTANCE',
        State: 'running',
        AccountId: '333333333333',
      })),
    });
    expect(tooMany).toEqual({
      body: {
        __type: 'ValidationException',
        message: expect.stringMatching(/resources.*length less than or equal to 100/),
      },
      errorCode: '400',
    });
    const negative = await natsReport({
      Resources: [
        {
          ResourceId: 'i-z',
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          AccountId: '333333333333',
          SocketCount: -1,
        },
      ],
    });
    expect(negative).toEqual({
      body: {
        __type: 'ValidationException',
        message: expect.stringMatching(/socketCount.*greater than or equal to 0/),
      },
      errorCode: '400',
    });
    expect(await eventCount()).toBe(before);
  });

  it('publishes self-contained events on JetStream for the licensing service', async () => {
    await report(accounts.member, {
      Resources: [
        {
          ResourceId: 'i-evented',
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          VCpuCount: 4,
          Tenancy: 'dedicated',
          Applications: [{ Name: 'SQL Server Standard', Version: '2019' }],
        },
      ],
    });
    await report(accounts.member, {
      Resources: [{ ResourceId: 'i-evented', ResourceType: 'EC2_INSTANCE', State: 'stopped' }],
    });
    const jsm = await nc.jetstreamManager();
    const stream = eventsStreamName(system.natsNamespace);
    await jsm.consumers.add(stream, {
      durable_name: 'e2e-inventory-reader',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `lm.${system.natsNamespace}.events.discovery.ResourceObserved`,
    });
    const consumer = await nc.jetstream().consumers.get(stream, 'e2e-inventory-reader');
    const evented: DomainEventMessage[] = [];
    const deadline = Date.now() + 10_000;
    while (evented.length < 2 && Date.now() < deadline) {
      const message = await consumer.next({ expires: 1_000 });
      if (!message) continue;
      const event = JSONCodec<DomainEventMessage>().decode(message.data);
      if (event.data.resourceId === 'i-evented') evented.push(event);
      message.ack();
    }
    expect(evented.map((e) => [e.service, e.type, e.data.state, e.data.previousState])).toEqual([
      ['discovery', 'ResourceObserved', 'running', undefined],
      ['discovery', 'ResourceObserved', 'stopped', 'running'],
    ]);
    expect(evented[1].data).toEqual({
      accountId: '222222222222',
      region: 'us-east-1',
      resourceId: 'i-evented',
      resourceType: 'EC2_INSTANCE',
      resourceArn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-evented',
      state: 'stopped',
      previousState: 'running',
      observedAt: expect.any(String),
      platform: null,
      platformVersion: null,
      usageOperation: null,
      instanceType: null,
      vCpuCount: 4,
      coreCount: null,
      socketCount: null,
      threadsPerCore: null,
      tenancy: 'dedicated',
      hostId: null,
      amiId: null,
      licenseIncluded: [],
      tags: {},
      applications: [{ name: 'SQL Server Standard', version: '2019', publisher: null }],
      subnetId: null,
      productCodes: [],
      billingProducts: [],
      stopProtection: null,
      imageOwner: null,
      ssmManaged: null,
    });
  });

  it('runs the inactivity sweep on its schedule: a resource last seen 31 days ago drops out until reported again', async () => {
    const longAgo = new Date(Date.now() - 31 * DAY).toISOString();
    await report(accounts.outsider, {
      Resources: [{ ResourceId: 'i-dormant', ResourceType: 'EC2_INSTANCE', State: 'running', ObservedAt: longAgo }],
    });
    const inactivations = async () =>
      (
        await db.query(
          `select data from discovery.events where type = 'ResourceInactivated' and data->>'resourceId' = 'i-dormant'`,
        )
      ).rows;
    const deadline = Date.now() + 10_000;
    while ((await inactivations()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await inactivations())[0]?.data).toMatchObject({ accountId: '333333333333', lastObservedAt: longAgo });
    expect(await listedIds(accounts.outsider)).not.toContain('i-dormant');
    await report(accounts.outsider, {
      Resources: [{ ResourceId: 'i-dormant', ResourceType: 'EC2_INSTANCE', State: 'running' }],
    });
    expect(await listedIds(accounts.outsider)).toContain('i-dormant');
  });
});

import {
  CreateLicenseConfigurationCommand,
  ListAssociationsForLicenseConfigurationCommand,
  type ProductInformation,
} from '@aws-sdk/client-license-manager';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Conversion, reportAndAwaitConversion, type ConversionCall } from '../support/conversion';
import { awsCli, licenseManager, rawRequest } from '../support/clients';
import { reportAndAwaitLicensing, type ObservedResource } from '../support/inventory';
import { eventually } from '../support/linux-subscriptions';
import { accounts, startSystem, type RunningSystem } from '../support/system';

type Account = typeof accounts.member;

const owner = accounts.member;
const outsider = accounts.outsider;
const region = 'us-east-1';
/** Short enough for the timeout test, long enough for every other conversion to end by itself first. */
const TIMEOUT_MS = 25_000;

let counter = 0;
const nextId = () => `i-0c${(++counter).toString(16).padStart(15, '0')}`;
const arnOf = (id: string, account = owner) => `arn:aws:ec2:${region}:${account.accountId}:instance/${id}`;

/** A stopped Windows Server BYOL instance from the customer's own image, with Systems Manager inventory. */
const windows = (facts: Partial<ObservedResource> = {}): ObservedResource => ({
  accountId: owner.accountId,
  region,
  resourceId: nextId(),
  resourceType: 'EC2_INSTANCE',
  state: 'stopped',
  platform: 'Windows',
  platformVersion: '2022',
  usageOperation: 'RunInstances:0800',
  vCpuCount: 4,
  tenancy: 'default',
  imageOwner: 'self',
  ssmManaged: true,
  stopProtection: false,
  ...facts,
});

const BYOL = { UsageOperation: 'RunInstances:0800' };
const LI = { UsageOperation: 'RunInstances:0002' };
const create = (name: string, id: string, source: object, destination: object): ConversionCall => ({
  name,
  op: 'create_license_conversion_task_for_resource',
  params: { ResourceArn: arnOf(id), SourceLicenseContext: source, DestinationLicenseContext: destination },
});
const get = (name: string, taskId: string): ConversionCall => ({
  name,
  op: 'get_license_conversion_task',
  params: { LicenseConversionTaskId: taskId },
});

/**
 * License type conversion end to end: instances reported through ReportResources, conversions asked
 * for through boto3 (a python process per test) and the AWS CLI, carried out by a stand-in
 * integrator that reports the instance again or calls ReportConversionResult (signed HTTP, NATS).
 */
describe('license type conversion', () => {
  let system: RunningSystem;
  let nc: NatsConnection;
  let events: Subscription;
  const published: { type: string; data: Record<string, any> }[] = [];
  const codec = JSONCodec<{ type: string; data: Record<string, any> }>();

  const taskOf = async (account: Account, id: string, source: object, destination: object) => {
    const { created } = await boto3Conversion(system, account, [create('created', id, source, destination)]);
    expect(created.error).toBeUndefined();
    return created.result!.LicenseConversionTaskId as string;
  };
  const statusOf = async (taskId: string) => (await boto3Conversion(system, owner, [get('task', taskId)])).task.result!;
  const reportResult = (account: Account, body: object) =>
    rawRequest(system, {
      account,
      path: '/conversion/ReportConversionResult',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    system = await startSystem({ LM_CONVERSION_TIMEOUT: String(TIMEOUT_MS), LM_CONVERSION_SWEEP_MS: '500' });
    nc = await connect({ servers: process.env.NATS_URL });
    events = nc.subscribe(`lm.${system.natsNamespace}.events.conversion.>`);
    void (async () => {
      for await (const message of events) published.push(codec.decode(message.data));
    })();
  });
  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  it("refuses what the guide refuses, in the guide's words, storing nothing", async () => {
    const running = windows({ state: 'running' });
    const noSsm = windows({ ssmManaged: false });
    const amazonAmi = windows({ usageOperation: 'RunInstances:0002', imageOwner: 'amazon' });
    const ubuntuPro = windows({ platform: 'Ubuntu', platformVersion: '22.04', usageOperation: 'RunInstances:0g00' });
    const twoVcpus = windows({ vCpuCount: 2 });
    const amazonLinux = windows({ platform: 'Amazon Linux', platformVersion: '2023', usageOperation: 'RunInstances' });
    const theirs = windows({ accountId: outsider.accountId });
    await reportAndAwaitConversion(system, [running, noSsm, amazonAmi, ubuntuPro, twoVcpus, amazonLinux, theirs]);
    const unknown = nextId();

    const results = await boto3Conversion(system, owner, [
      create('running', running.resourceId, BYOL, LI),
      create('unknown', unknown, BYOL, LI),
      {
        ...create('theirs', theirs.resourceId, BYOL, LI),
        params: {
          ResourceArn: arnOf(theirs.resourceId, outsider),
          SourceLicenseContext: BYOL,
          DestinationLicenseContext: LI,
        },
      },
      create('noSsm', noSsm.resourceId, BYOL, LI),
      create('amazonAmi', amazonAmi.resourceId, LI, BYOL),
      create('mismatch', twoVcpus.resourceId, LI, BYOL),
      create('notNeeded', twoVcpus.resourceId, BYOL, BYOL),
      create('twoVcpus', twoVcpus.resourceId, BYOL, { UsageOperation: 'RunInstances:0006' }),
      create(
        'ubuntuPro',
        ubuntuPro.resourceId,
        { UsageOperation: 'RunInstances:0g00' },
        { UsageOperation: 'RunInstances' },
      ),
      create(
        'notLts',
        amazonLinux.resourceId,
        { UsageOperation: 'RunInstances' },
        { UsageOperation: 'RunInstances:0g00' },
      ),
      create('unsupported', twoVcpus.resourceId, BYOL, { UsageOperation: 'RunInstances:0010' }),
      { name: 'list', op: 'list_license_conversion_tasks', pages: true },
    ]);
    const refusal = (message: string) => ({
      error: { Code: 'InvalidParameterValueException', Status: 400, Message: message },
    });
    const invalidState = (id: string) =>
      refusal(`ResourceId - ${id} is in an invalid state for changing license type.`);
    expect(results.running).toEqual(invalidState(running.resourceId));
    expect(results.unknown).toEqual(invalidState(unknown));
    expect(results.theirs).toEqual(invalidState(theirs.resourceId));
    expect(results.noSsm).toEqual(
      refusal(
        `Failed to validate that instance ${noSsm.resourceId} was launched from a BYOL AMI. Ensure that the SSM Agent is running on your instance.`,
      ),
    );
    expect(results.amazonAmi).toEqual(
      refusal(
        `Instance ${amazonAmi.resourceId} is launched from an Amazon owned AMI. Provide an instance launched originally from a BYOL AMI.`,
      ),
    );
    expect(results.mismatch).toEqual(
      refusal(
        `The source license context (UsageOperation=RunInstances:0002) does not match instance ${twoVcpus.resourceId}: its license type is UsageOperation=RunInstances:0800.`,
      ),
    );
    expect(results.notNeeded.error?.Message).toMatch(/^Not needed: instance .* is already Windows Server BYOL/);
    expect(results.twoVcpus).toEqual(
      refusal(
        `A license-included SQL Server instance must have at least 4 vCPUs; instance ${twoVcpus.resourceId} has 2 vCPUs.`,
      ),
    );
    expect(results.ubuntuPro.error?.Message).toMatch(
      /^You can't use license type conversion for a Ubuntu Pro subscription\./,
    );
    expect(results.notLts.error?.Message).toMatch(
      /^The instance must be running Ubuntu LTS in order to convert the license type to Ubuntu Pro/,
    );
    expect(results.unsupported.error?.Message).toMatch(/is not supported: deploy a new instance/);
    expect(results.list).toEqual({ items: [], pages: 1 });

    // The guide's troubleshooting entry, word for word, as the AWS CLI prints it.
    const cli = await awsCli(system, owner, [
      'license-manager',
      'create-license-conversion-task-for-resource',
      '--resource-arn',
      arnOf(running.resourceId),
      '--source-license-context',
      'UsageOperation=RunInstances:0800',
      '--destination-license-context',
      'UsageOperation=RunInstances:0002',
    ]);
    expect(cli.exitCode).not.toBe(0);
    // (The CLI inserts "(reached max retries: 0)" before the colon: it was told to try once.)
    expect(cli.stderr).toMatch(
      new RegExp(
        String.raw`An error occurred \(InvalidParameterValueException\) when calling the CreateLicenseConversionTaskForResource operation( \(reached max retries: 0\))?: ResourceId - ${running.resourceId} is in an invalid state for changing license type\.`,
      ),
    );
  });

  it('answers bad input on the three operations with the modeled error, storing nothing', async () => {
    const instance = windows();
    await reportAndAwaitConversion(system, [instance]);
    const results = await boto3Conversion(system, owner, [
      {
        name: 'noArn',
        op: 'create_license_conversion_task_for_resource',
        params: { SourceLicenseContext: BYOL, DestinationLicenseContext: LI },
      },
      {
        name: 'volume',
        op: 'create_license_conversion_task_for_resource',
        params: {
          ResourceArn: `arn:aws:ec2:${region}:${owner.accountId}:volume/vol-0123456789abcdef0`,
          SourceLicenseContext: BYOL,
          DestinationLicenseContext: LI,
        },
      },
      create('noUsageOperation', instance.resourceId, {}, LI),
      create('devpay', instance.resourceId, BYOL, {
        ...LI,
        ProductCodes: [{ ProductCodeId: 'abc', ProductCodeType: 'devpay' }],
      }),
      get('badId', 'not-a-task'),
      get('unknownId', 'lct-0123456789abcdef0123456789abcdef'),
      {
        name: 'badFilter',
        op: 'list_license_conversion_tasks',
        params: { Filters: [{ Name: 'Platform', Values: ['x'] }] },
      },
      {
        name: 'badStatus',
        op: 'list_license_conversion_tasks',
        params: { Filters: [{ Name: 'Status', Values: ['DONE'] }] },
      },
      {
        name: 'noValue',
        op: 'list_license_conversion_tasks',
        params: { Filters: [{ Name: 'ResourceArns', Values: [] }] },
      },
      { name: 'zero', op: 'list_license_conversion_tasks', params: { MaxResults: 0 } },
      { name: 'badToken', op: 'list_license_conversion_tasks', params: { NextToken: 'garbage' } },
      { name: 'list', op: 'list_license_conversion_tasks', pages: true },
    ]);
    const codeOf = (name: string) => results[name].error && [results[name].error!.Code, results[name].error!.Status];
    expect(codeOf('noArn')).toEqual(['ValidationException', 400]);
    expect(codeOf('volume')).toEqual(['InvalidParameterValueException', 400]);
    expect(results.volume.error?.Message).toBe(
      `ResourceArn arn:aws:ec2:${region}:${owner.accountId}:volume/vol-0123456789abcdef0 is not the ARN of an EC2 instance.`,
    );
    expect(results.noUsageOperation.error?.Message).toBe('SourceLicenseContext needs a UsageOperation.');
    expect(codeOf('devpay')).toEqual(['ValidationException', 400]);
    expect(codeOf('badId')).toEqual(['InvalidParameterValueException', 400]);
    expect(codeOf('unknownId')).toEqual(['InvalidParameterValueException', 400]);
    for (const name of ['badFilter', 'badStatus', 'noValue', 'zero', 'badToken'])
      expect(codeOf(name), name).toEqual(['InvalidParameterValueException', 400]);
    expect(results.list).toEqual({ items: [], pages: 1 });
  });

  it('asks the integrator (LicenseConversionRequested) and ends SUCCEEDED once the inventory shows the destination, or the integrator says so', async () => {
    const converted = windows();
    const reported = windows({ usageOperation: 'RunInstances:0002' });
    await reportAndAwaitConversion(system, [converted, reported]);

    // The guide's command, through the AWS CLI.
    const cli = await awsCli(system, owner, [
      'license-manager',
      'create-license-conversion-task-for-resource',
      '--resource-arn',
      arnOf(converted.resourceId),
      '--source-license-context',
      'UsageOperation=RunInstances:0800',
      '--destination-license-context',
      'UsageOperation=RunInstances:0002',
    ]);
    expect(cli.exitCode, cli.stderr).toBe(0);
    const taskId = JSON.parse(cli.stdout).LicenseConversionTaskId as string;
    expect(taskId).toMatch(/^lct-[0-9a-f]{32}$/);
    const requested = await eventually(
      async () => published.find((e) => e.type === 'LicenseConversionRequested' && e.data.taskId === taskId),
      Boolean,
    );
    expect(requested?.data).toMatchObject({
      accountId: owner.accountId,
      region,
      resourceArn: arnOf(converted.resourceId),
      resourceId: converted.resourceId,
      source: { usageOperation: 'RunInstances:0800', productCodes: [] },
      destination: { usageOperation: 'RunInstances:0002', productCodes: [] },
    });
    const inProgress = await statusOf(taskId);
    expect(inProgress).toMatchObject({
      LicenseConversionTaskId: taskId,
      ResourceArn: arnOf(converted.resourceId),
      Status: 'IN_PROGRESS',
    });
    expect(inProgress.EndTime).toBeUndefined();

    // The integrator changed the billing: EC2 reports the instance with the destination usage operation.
    await reportAndAwaitConversion(system, [{ ...converted, usageOperation: 'RunInstances:0002' }]);
    const done = await eventually(
      () => statusOf(taskId),
      (task) => task.Status !== 'IN_PROGRESS',
    );
    expect(done).toMatchObject({
      Status: 'SUCCEEDED',
      SourceLicenseContext: { UsageOperation: 'RunInstances:0800' },
      DestinationLicenseContext: { UsageOperation: 'RunInstances:0002' },
    });
    expect(Date.parse(done.LicenseConversionTime)).toBeGreaterThanOrEqual(Date.parse(done.StartTime));
    expect(Date.parse(done.EndTime)).toBeGreaterThanOrEqual(Date.parse(done.LicenseConversionTime));
    expect(published.filter((e) => e.data.taskId === taskId).map((e) => e.type)).toEqual([
      'LicenseConversionTaskStarted',
      'LicenseConversionRequested',
      'LicenseConversionSucceeded',
    ]);

    // An integrator's "Succeeded": true ends a task at once.
    const other = await taskOf(owner, reported.resourceId, LI, BYOL);
    const response = await reportResult(owner, { LicenseConversionTaskId: other, Succeeded: true });
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual({ LicenseConversionTaskId: other, Status: 'SUCCEEDED' });

    // The lists: by resource, by status, a page at a time; and the AWS CLI's.
    const lists = await boto3Conversion(system, owner, [
      {
        name: 'byArn',
        op: 'list_license_conversion_tasks',
        params: { Filters: [{ Name: 'ResourceArns', Values: [arnOf(converted.resourceId)] }] },
      },
      {
        name: 'succeeded',
        op: 'list_license_conversion_tasks',
        params: { Filters: [{ Name: 'Status', Values: ['SUCCEEDED'] }] },
      },
      { name: 'paged', op: 'list_license_conversion_tasks', params: { MaxResults: 1 }, pages: true },
    ]);
    expect(lists.byArn.result!.LicenseConversionTasks.map((t: any) => t.LicenseConversionTaskId)).toEqual([taskId]);
    expect(lists.succeeded.result!.LicenseConversionTasks.map((t: any) => t.LicenseConversionTaskId).sort()).toEqual(
      expect.arrayContaining([taskId, other]),
    );
    expect(lists.paged.pages).toBe(lists.paged.items!.length);
    expect(lists.paged.items!.map((t) => t.LicenseConversionTaskId)).toEqual(expect.arrayContaining([taskId, other]));
    const listed = await awsCli(system, owner, [
      'license-manager',
      'list-license-conversion-tasks',
      '--filters',
      `Name=Status,Values=SUCCEEDED`,
    ]);
    expect(JSON.parse(listed.stdout).LicenseConversionTasks.map((t: any) => t.LicenseConversionTaskId)).toContain(
      taskId,
    );
    const got = await awsCli(system, owner, [
      'license-manager',
      'get-license-conversion-task',
      '--license-conversion-task-id',
      taskId,
    ]);
    expect(JSON.parse(got.stdout)).toMatchObject({ LicenseConversionTaskId: taskId, Status: 'SUCCEEDED' });
  });

  it("ends FAILED on the integrator's report (signed HTTP or NATS) or stop protection; another account sees nothing", async () => {
    const [reportedHttp, reportedNats, protectedOne] = [windows(), windows(), windows({ stopProtection: true })];
    await reportAndAwaitConversion(system, [reportedHttp, reportedNats, protectedOne]);
    const httpTask = await taskOf(owner, reportedHttp.resourceId, BYOL, LI);
    const natsTask = await taskOf(owner, reportedNats.resourceId, BYOL, LI);
    const protectedTask = await taskOf(owner, protectedOne.resourceId, BYOL, LI);

    // Stop protection: FAILED at once, and the integrator is never asked.
    expect(await statusOf(protectedTask)).toMatchObject({
      Status: 'FAILED',
      StatusMessage: `EC2 instance ${protectedOne.resourceId} failed to stop. Ensure that you have permissions for EC2 StopInstances.`,
    });

    // Bad reports change nothing: no message, another account's task, an unknown one.
    const noMessage = await reportResult(owner, { LicenseConversionTaskId: httpTask, Succeeded: false });
    expect([noMessage.status, noMessage.json.__type ?? noMessage.headers.get('x-amzn-errortype')]).toEqual([
      400,
      expect.stringMatching(/ValidationException/),
    ]);
    const foreign = await reportResult(outsider, {
      LicenseConversionTaskId: httpTask,
      Succeeded: false,
      StatusMessage: 'x',
    });
    expect(foreign.status).toBe(404);
    const unknown = await reportResult(owner, { LicenseConversionTaskId: 'lct-0', Succeeded: true });
    expect(unknown.status).toBe(404);
    expect(await statusOf(httpTask)).toMatchObject({ Status: 'IN_PROGRESS' });

    const failed = await reportResult(owner, {
      LicenseConversionTaskId: httpTask,
      Succeeded: false,
      StatusMessage: 'KMS activation failed',
    });
    expect(failed.json).toEqual({ LicenseConversionTaskId: httpTask, Status: 'FAILED' });
    const again = await reportResult(owner, {
      LicenseConversionTaskId: httpTask,
      Succeeded: false,
      StatusMessage: 'again',
    });
    expect([again.status, again.json.Status]).toEqual([200, 'FAILED']);
    const contrary = await reportResult(owner, { LicenseConversionTaskId: httpTask, Succeeded: true });
    expect(contrary.status).toBe(409);
    const task = await statusOf(httpTask);
    expect(task).toMatchObject({ Status: 'FAILED', StatusMessage: 'KMS activation failed' });
    expect(task.EndTime).toBeDefined();
    expect(task.LicenseConversionTime).toBeUndefined();

    // The same body as plain JSON on NATS.
    const answer = await nc.request(
      `lm.${system.natsNamespace}.conversion.ReportConversionResult`,
      JSONCodec().encode({
        LicenseConversionTaskId: natsTask,
        Succeeded: false,
        StatusMessage: 'Marketplace subscription missing',
      }),
      { timeout: 10_000 },
    );
    expect(JSONCodec().decode(answer.data)).toEqual({ LicenseConversionTaskId: natsTask, Status: 'FAILED' });
    expect(await statusOf(natsTask)).toMatchObject({
      Status: 'FAILED',
      StatusMessage: 'Marketplace subscription missing',
    });
    const badNats = await nc.request(
      `lm.${system.natsNamespace}.conversion.ReportConversionResult`,
      JSONCodec().encode({ LicenseConversionTaskId: natsTask }),
      { timeout: 10_000 },
    );
    expect(JSONCodec().decode(badNats.data)).toMatchObject({ __type: 'ValidationException' });

    expect(published.filter((e) => e.data.taskId === protectedTask).map((e) => e.type)).toEqual([
      'LicenseConversionTaskStarted',
      'LicenseConversionFailed',
    ]);

    // Another account: its list is empty, the owner's task unknown, the owner's instance not one it can convert.
    const theirs = await boto3Conversion(system, outsider, [
      { name: 'list', op: 'list_license_conversion_tasks', pages: true },
      get('get', httpTask),
      {
        name: 'create',
        op: 'create_license_conversion_task_for_resource',
        params: {
          ResourceArn: arnOf(reportedHttp.resourceId),
          SourceLicenseContext: BYOL,
          DestinationLicenseContext: LI,
        },
      },
    ]);
    expect(theirs.list).toEqual({ items: [], pages: 1 });
    expect(theirs.get.error).toMatchObject({ Code: 'InvalidParameterValueException', Status: 400 });
    expect(theirs.create.error).toMatchObject({
      Code: 'InvalidParameterValueException',
      Message: `ResourceId - ${reportedHttp.resourceId} is in an invalid state for changing license type.`,
    });
  });

  it('fails a conversion no result came for within LM_CONVERSION_TIMEOUT, refusing another one of the instance meanwhile', async () => {
    const waiting = windows();
    await reportAndAwaitConversion(system, [waiting]);
    const taskId = await taskOf(owner, waiting.resourceId, BYOL, LI);
    const second = await boto3Conversion(system, owner, [create('second', waiting.resourceId, BYOL, LI)]);
    expect(second.second.error).toEqual({
      Code: 'InvalidParameterValueException',
      Status: 400,
      Message: `A license type conversion of ${waiting.resourceId} is already in progress (${taskId}).`,
    });
    const ended = await eventually(
      () => statusOf(taskId),
      (task) => task.Status !== 'IN_PROGRESS',
      TIMEOUT_MS + 20_000,
    );
    expect(ended).toMatchObject({
      Status: 'FAILED',
      StatusMessage: `No result of the license type conversion was reported within ${TIMEOUT_MS / 1000} seconds.`,
    });
    expect(Date.parse(ended.EndTime) - Date.parse(ended.StartTime)).toBeGreaterThanOrEqual(TIMEOUT_MS);
    // Ended: a report that comes late is refused, and the instance can be converted again.
    expect((await reportResult(owner, { LicenseConversionTaskId: taskId, Succeeded: true })).status).toBe(409);
    expect(await taskOf(owner, waiting.resourceId, BYOL, LI)).toMatch(/^lct-/);
  }, 90_000);

  it("disassociates the converted instance from the self-managed licenses whose License Included rules exclude it (the guide's example)", async () => {
    const platform = 'Windows Server 2019 Datacenter';
    const rule = (excludesWindows: boolean): ProductInformation => ({
      ResourceType: 'SSM_MANAGED',
      ProductInformationFilterList: [
        {
          ProductInformationFilterName: 'Platform Name',
          ProductInformationFilterValue: [platform],
          ProductInformationFilterComparator: 'EQUALS',
        },
        ...(excludesWindows
          ? [
              {
                ProductInformationFilterName: 'License Included',
                ProductInformationFilterValue: ['windows-server-datacenter'],
                ProductInformationFilterComparator: 'NOT_EQUALS',
              },
            ]
          : []),
      ],
    });
    const client = licenseManager(system, owner);
    const configuration = async (name: string, rules: ProductInformation[]) =>
      (
        await client.send(
          new CreateLicenseConfigurationCommand({
            Name: name,
            LicenseCountingType: 'Instance',
            ProductInformationList: rules,
          }),
        )
      ).LicenseConfigurationArn!;
    const bothExclude = await configuration('both rules exclude LI Windows', [rule(true), rule(true)]);
    const oneExcludes = await configuration('one rule of two excludes LI Windows', [rule(true), rule(false)]);
    const associated = async (arn: string) =>
      (
        await client.send(new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))
      ).LicenseConfigurationAssociations!.map((a) => a.ResourceArn);

    const instance = windows({ platform });
    const [arn] = await reportAndAwaitLicensing(system, [instance]);
    await reportAndAwaitConversion(system, [instance]);
    expect(await associated(bothExclude)).toEqual([arn]);
    expect(await associated(oneExcludes)).toEqual([arn]);

    const taskId = await taskOf(owner, instance.resourceId, BYOL, LI);
    await reportAndAwaitConversion(system, [
      { ...instance, usageOperation: 'RunInstances:0002', licenseIncluded: ['windows-server-datacenter'] },
    ]);
    expect(
      await eventually(
        () => statusOf(taskId),
        (task) => task.Status === 'SUCCEEDED',
      ),
    ).toMatchObject({ Status: 'SUCCEEDED' });
    expect(
      await eventually(
        () => associated(bothExclude),
        (arns) => arns.length === 0,
      ),
    ).toEqual([]);
    expect(await associated(oneExcludes)).toEqual([arn]);
  });
});

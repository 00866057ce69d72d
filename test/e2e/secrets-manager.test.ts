import { join } from 'node:path';
import { eventsStreamName } from '@lm/messaging';
import { AckPolicy, connect, DeliverPolicy } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Script, rawRequest, type CliResult } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const alice = accounts.management;
const bob = accounts.member;
type Account = typeof alice;

/** Values no output but GetSecretValue to their owner may show: searched for in logs, audit records and events. */
const ADMIN_PASSWORD = 'Adm1n-pa55word-never-shown';
const ROTATED_PASSWORD = 'R0tated-pa55word-never-shown';
const adminCredentials = JSON.stringify({ username: 'Administrator', password: ADMIN_PASSWORD });
const rotatedCredentials = JSON.stringify({ username: 'Administrator', password: ROTATED_PASSWORD });

/** A raw awsJson1_1 call of the Secrets Manager subset, signed for the service secretsmanager. */
const callSecretsManager = (system: RunningSystem, account: Account, operation: string, body: unknown) =>
  rawRequest(system, {
    account,
    service: 'secretsmanager',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${operation}` },
    body: JSON.stringify(body),
  });

/** The AWS error code the CLI printed: `An error occurred (<Code>) when calling ...`. */
const cliError = (stderr: string) => /An error occurred \((\w+)\)/.exec(stderr)?.[1];

/** Each AWS CLI call starts a Python process: a few seconds each on a loaded machine. */
describe('the Secrets Manager subset through the AWS CLI and boto3', { timeout: 240_000 }, () => {
  let system: RunningSystem;
  const secrets = (account: Account, ...args: string[]) => awsCli(system, account, ['secretsmanager', ...args]);
  /** Independent CLI calls, three in flight at a time: each is a Python process, and cores are few. */
  const secretsEach = async (account: Account, calls: string[][]) => {
    const answers: CliResult[] = [];
    for (let i = 0; i < calls.length; i += 3)
      answers.push(...(await Promise.all(calls.slice(i, i + 3).map((args) => secrets(account, ...args)))));
    return answers;
  };
  let adminArn: string;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it("creates the guide's license-server credentials secret and reads it back as its owner (AWS CLI)", async () => {
    const created = await secrets(
      alice,
      'create-secret',
      '--name',
      'license-manager-user-admin',
      '--secret-string',
      adminCredentials,
      '--description',
      'directory administrator',
    );
    expect(created.exitCode, created.stderr).toBe(0);
    adminArn = created.json.ARN;
    expect(adminArn).toMatch(
      new RegExp(
        `^arn:aws:secretsmanager:${system.region}:${alice.accountId}:secret:license-manager-user-admin-[A-Za-z0-9]{6}$`,
      ),
    );
    expect(created.json).toMatchObject({ Name: 'license-manager-user-admin', VersionId: expect.any(String) });

    for (const secretId of [
      'license-manager-user-admin',
      adminArn,
      // A partial ARN, without the six random characters.
      adminArn.slice(0, -7),
    ]) {
      const read = await secrets(alice, 'get-secret-value', '--secret-id', secretId);
      expect(read.exitCode, read.stderr).toBe(0);
      expect(read.json).toMatchObject({
        ARN: adminArn,
        Name: 'license-manager-user-admin',
        VersionId: created.json.VersionId,
        SecretString: adminCredentials,
        VersionStages: ['AWSCURRENT'],
      });
    }
  });

  it('puts a new version: AWSCURRENT moves to it, AWSPREVIOUS to the former one; a retried token changes nothing', async () => {
    const token = 'rotation-0000-0000-0000-000000000001';
    const put = await secrets(
      alice,
      'put-secret-value',
      '--secret-id',
      adminArn,
      '--secret-string',
      rotatedCredentials,
      '--client-request-token',
      token,
    );
    expect(put.exitCode, put.stderr).toBe(0);
    expect(put.json).toEqual({
      ARN: adminArn,
      Name: 'license-manager-user-admin',
      VersionId: token,
      VersionStages: ['AWSCURRENT'],
    });
    const retried = await secrets(
      alice,
      'put-secret-value',
      '--secret-id',
      adminArn,
      '--secret-string',
      rotatedCredentials,
      '--client-request-token',
      token,
    );
    expect(retried.json).toEqual(put.json);
    const changed = await secrets(
      alice,
      'put-secret-value',
      '--secret-id',
      adminArn,
      '--secret-string',
      'something else',
      '--client-request-token',
      token,
    );
    expect(cliError(changed.stderr)).toBe('ResourceExistsException');

    expect((await secrets(alice, 'get-secret-value', '--secret-id', adminArn)).json.SecretString).toBe(
      rotatedCredentials,
    );
    const previous = await secrets(
      alice,
      'get-secret-value',
      '--secret-id',
      adminArn,
      '--version-stage',
      'AWSPREVIOUS',
    );
    expect(previous.json).toMatchObject({ SecretString: adminCredentials, VersionStages: ['AWSPREVIOUS'] });

    const described = await secrets(alice, 'describe-secret', '--secret-id', 'license-manager-user-admin');
    expect(described.exitCode, described.stderr).toBe(0);
    expect(described.json).toMatchObject({
      ARN: adminArn,
      Name: 'license-manager-user-admin',
      Description: 'directory administrator',
      VersionIdsToStages: { [token]: ['AWSCURRENT'], [previous.json.VersionId]: ['AWSPREVIOUS'] },
    });
    expect(described.json).not.toHaveProperty('SecretString');
    expect(described.json.CreatedDate * 1000).toBeGreaterThan(Date.now() - 5 * 60_000);
  });

  it('tags and untags a secret, and lists with filters', async () => {
    expect(
      (
        await secrets(
          alice,
          'tag-resource',
          '--secret-id',
          adminArn,
          '--tags',
          'Key=team,Value=it',
          'Key=env,Value=lab',
        )
      ).exitCode,
    ).toBe(0);
    expect((await secrets(alice, 'untag-resource', '--secret-id', adminArn, '--tag-keys', 'env')).exitCode).toBe(0);
    expect((await secrets(alice, 'describe-secret', '--secret-id', adminArn)).json.Tags).toEqual([
      { Key: 'team', Value: 'it' },
    ]);
    expect((await secrets(alice, 'create-secret', '--name', 'other/secret')).exitCode).toBe(0);

    const names = async (...args: string[]) =>
      (await secrets(alice, 'list-secrets', ...args)).json.SecretList.map((entry: { Name: string }) => entry.Name);
    expect(await names()).toEqual(['license-manager-user-admin', 'other/secret']);
    expect(await names('--filters', 'Key=name,Values=LICENSE-manager')).toEqual(['license-manager-user-admin']);
    expect(await names('--filters', 'Key=tag-key,Values=team')).toEqual(['license-manager-user-admin']);
    expect(await names('--filters', 'Key=name,Values=!license')).toEqual(['other/secret']);
    expect(await names('--sort-order', 'desc')).toEqual(['other/secret', 'license-manager-user-admin']);
    const listed = (await secrets(alice, 'list-secrets')).json.SecretList[0];
    expect(listed).toMatchObject({ ARN: adminArn, Tags: [{ Key: 'team', Value: 'it' }] });
    expect(JSON.stringify(listed)).not.toContain(ROTATED_PASSWORD);
  });

  it('refuses a second secret of the same name', async () => {
    const again = await secrets(alice, 'create-secret', '--name', 'license-manager-user-admin', '--secret-string', 'x');
    expect(cliError(again.stderr)).toBe('ResourceExistsException');
    expect(again.stderr).toContain('license-manager-user-admin already exists');
  });

  it("shows another account nothing of alice's secrets and lets it touch none of them", async () => {
    const attempts = [
      ['get-secret-value', '--secret-id', adminArn],
      ['get-secret-value', '--secret-id', 'license-manager-user-admin'],
      ['describe-secret', '--secret-id', adminArn],
      ['put-secret-value', '--secret-id', adminArn, '--secret-string', 'stolen'],
      ['tag-resource', '--secret-id', adminArn, '--tags', 'Key=owned,Value=bob'],
      ['untag-resource', '--secret-id', adminArn, '--tag-keys', 'team'],
      ['delete-secret', '--secret-id', adminArn, '--force-delete-without-recovery'],
    ];
    const refusals = await secretsEach(bob, attempts);
    refusals.forEach((refused, i) =>
      expect(cliError(refused.stderr), `${attempts[i].join(' ')}: ${refused.stderr}`).toBe('ResourceNotFoundException'),
    );
    expect((await secrets(bob, 'list-secrets')).json.SecretList).toEqual([]);
    // The same name is bob's own, apart from alice's.
    const own = await secrets(bob, 'create-secret', '--name', 'license-manager-user-admin', '--secret-string', 'bob');
    expect(own.exitCode, own.stderr).toBe(0);
    expect(own.json.ARN).toContain(`:${bob.accountId}:secret:license-manager-user-admin-`);
    expect((await secrets(alice, 'get-secret-value', '--secret-id', adminArn)).json.SecretString).toBe(
      rotatedCredentials,
    );
  });

  it('answers bad input with the modeled error, and stores nothing', async () => {
    const cases: [string[], string, string?][] = [
      [
        ['create-secret', '--name', 'both', '--secret-string', 'a', '--secret-binary', 'Yg=='],
        'InvalidParameterException',
        "can't specify both a binary secret value and a string secret value",
      ],
      [['create-secret', '--name', 'bad name', '--secret-string', 'x'], 'InvalidParameterException', 'Invalid name'],
      [['create-secret', '--name', 'kms', '--kms-key-id', 'alias/aws/secretsmanager'], 'InvalidParameterException'],
      [
        ['put-secret-value', '--secret-id', adminArn],
        'InvalidParameterException',
        'either SecretString or SecretBinary',
      ],
      [
        ['delete-secret', '--secret-id', adminArn, '--recovery-window-in-days', '6'],
        'InvalidParameterException',
        'between 7 and 30 days',
      ],
      [
        ['delete-secret', '--secret-id', adminArn, '--recovery-window-in-days', '31'],
        'InvalidParameterException',
        'between 7 and 30 days',
      ],
      [
        ['delete-secret', '--secret-id', adminArn, '--recovery-window-in-days', '7', '--force-delete-without-recovery'],
        'InvalidParameterException',
        'in conjunction with RecoveryWindowInDays',
      ],
      [['get-secret-value', '--secret-id', 'no-such-secret'], 'ResourceNotFoundException'],
      [
        ['get-secret-value', '--secret-id', adminArn, '--version-stage', 'NO-SUCH-LABEL'],
        'ResourceNotFoundException',
        'staging label: NO-SUCH-LABEL',
      ],
    ];
    const answers = await secretsEach(
      alice,
      cases.map(([args]) => args),
    );
    answers.forEach((answer, i) => {
      const [args, code, message] = cases[i];
      expect(cliError(answer.stderr), `${args.join(' ')}: ${answer.stderr}`).toBe(code);
      if (message) expect(answer.stderr).toContain(message);
    });

    // The CLI checks required members itself: a raw call without Name reaches the gateway's validation.
    const missingName = await callSecretsManager(system, alice, 'CreateSecret', { SecretString: 'x' });
    expect(missingName.status).toBe(400);
    expect(missingName.json.__type).toBe('ValidationException');
    expect(JSON.stringify(missingName.json)).toMatch(/name/);

    const names = (await secrets(alice, 'list-secrets')).json.SecretList.map((entry: { Name: string }) => entry.Name);
    expect(names).toEqual(['license-manager-user-admin', 'other/secret']);
    expect((await secrets(alice, 'get-secret-value', '--secret-id', adminArn)).json.SecretString).toBe(
      rotatedCredentials,
    );
  });

  it('works with boto3: string and binary versions, staging labels, a paginator, errors, deletion without recovery', async () => {
    const observed = JSON.parse(await boto3Script(system, bob, join(__dirname, 'secrets-manager-boto3.py')));
    expect(observed.created.ARN).toMatch(/:secret:boto3\/ldap-bind-[A-Za-z0-9]{6}$/);
    expect(observed.first).toEqual({
      SecretString: '{"username":"svc","password":"b0t0-pa55"}',
      VersionStages: ['AWSCURRENT'],
    });
    expect(observed.binary.VersionStages).toEqual(['AWSCURRENT']);
    expect(observed.current.SecretBinary).toEqual([0, 1, ...Buffer.from('binary'), 255]);
    expect(observed.previous).toEqual({
      SecretString: observed.first.SecretString,
      VersionId: observed.created.VersionId,
    });
    expect(observed.described.VersionIdsToStages).toEqual({
      [observed.created.VersionId]: ['AWSPREVIOUS'],
      [observed.current.VersionId]: ['AWSCURRENT'],
    });
    expect(observed.listed).toEqual(['license-manager-user-admin', 'boto3/ldap-bind']);
    expect(observed.both_values).toEqual({ Code: 'InvalidParameterException', Status: 400 });
    expect(observed.missing).toEqual({ Code: 'ResourceNotFoundException', Status: 400 });
    expect(observed.deleted).toEqual({ Name: 'boto3/ldap-bind', HasDeletionDate: true });
    expect(observed.after_delete).toEqual({ Code: 'ResourceNotFoundException', Status: 400 });
  });

  it('schedules a deletion: the secret is described with its DeletedDate, refuses reads and changes, and lists only on request', async () => {
    const deleted = await secrets(alice, 'delete-secret', '--secret-id', adminArn, '--recovery-window-in-days', '7');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(deleted.json).toMatchObject({ ARN: adminArn, Name: 'license-manager-user-admin' });
    const days = (deleted.json.DeletionDate * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);

    const described = await secrets(alice, 'describe-secret', '--secret-id', adminArn);
    expect(described.json.DeletedDate * 1000).toBeGreaterThan(Date.now() - 60_000);
    const attempts = [
      ['get-secret-value', '--secret-id', adminArn],
      ['put-secret-value', '--secret-id', adminArn, '--secret-string', 'x'],
      ['tag-resource', '--secret-id', adminArn, '--tags', 'Key=k,Value=v'],
      ['delete-secret', '--secret-id', adminArn],
      ['create-secret', '--name', 'license-manager-user-admin', '--secret-string', 'x'],
    ];
    const refusals = await secretsEach(alice, attempts);
    refusals.forEach((refused, i) =>
      expect(cliError(refused.stderr), `${attempts[i].join(' ')}: ${refused.stderr}`).toBe('InvalidRequestException'),
    );
    const listed = async (...args: string[]) =>
      (await secrets(alice, 'list-secrets', ...args)).json.SecretList.map((entry: { Name: string }) => entry.Name);
    expect(await listed()).toEqual(['other/secret']);
    expect(await listed('--include-planned-deletion')).toEqual(['license-manager-user-admin', 'other/secret']);
  });

  it('never shows a value in the logs, the audit records (LookupEvents) or the events on JetStream', async () => {
    const secretValues = [ADMIN_PASSWORD, ROTATED_PASSWORD, 'b0t0-pa55'];
    // Audit records reach reporting through JetStream: wait for alice's CreateSecret and GetSecretValue records.
    const deadline = Date.now() + 20_000;
    let records: any[];
    for (;;) {
      const lookup = await awsCli(system, alice, [
        'cloudtrail',
        'lookup-events',
        '--lookup-attributes',
        'AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com',
      ]);
      expect(lookup.exitCode, lookup.stderr).toBe(0);
      records = lookup.json.Events.map((event: { CloudTrailEvent: string }) => JSON.parse(event.CloudTrailEvent));
      const names = new Set(records.map((record) => record.eventName));
      if (
        (names.has('CreateSecret') && names.has('PutSecretValue') && names.has('GetSecretValue')) ||
        Date.now() > deadline
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const create = records.find(
      (record) => record.eventName === 'CreateSecret' && record.requestParameters.name === 'license-manager-user-admin',
    );
    expect(create.requestParameters).toMatchObject({
      name: 'license-manager-user-admin',
      secretString: 'HIDDEN_DUE_TO_SECURITY_REASONS',
    });
    const read = records.find((record) => record.eventName === 'GetSecretValue' && !record.errorCode);
    // A read: CloudTrail keeps no response elements of it, so the value it answered is nowhere.
    expect(read.responseElements).toBeNull();
    const put = records.find((record) => record.eventName === 'PutSecretValue' && !record.errorCode);
    expect(put.requestParameters.secretString).toBe('HIDDEN_DUE_TO_SECURITY_REASONS');
    for (const value of secretValues) expect(JSON.stringify(records)).not.toContain(value);

    // Every event of the service on JetStream: the values travel sealed only.
    const nc = await connect({ servers: process.env.NATS_URL });
    const events: string[] = [];
    try {
      const stream = eventsStreamName(system.natsNamespace);
      const jsm = await nc.jetstreamManager();
      await jsm.consumers.add(stream, {
        durable_name: 'e2e-secrets-reader',
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `lm.${system.natsNamespace}.events.user-subscriptions.>`,
      });
      const consumer = await nc.jetstream().consumers.get(stream, 'e2e-secrets-reader');
      for (;;) {
        const message = await consumer.next({ expires: 2_000 });
        if (!message) break;
        events.push(new TextDecoder().decode(message.data));
        message.ack();
      }
    } finally {
      await nc.close();
    }
    const types = events.map((event) => JSON.parse(event).type);
    expect(types).toEqual(expect.arrayContaining(['SecretCreated', 'SecretValuePut', 'SecretTagged', 'SecretDeleted']));
    const valuePut = JSON.parse(events.find((event) => JSON.parse(event).type === 'SecretValuePut')!);
    expect(valuePut.data.sealedValue).toEqual(expect.any(String));
    for (const value of secretValues) expect(events.join('\n')).not.toContain(value);

    for (const process of ['gateway', 'user-subscriptions', 'reporting'] as const)
      for (const value of secretValues) expect(system.logs(process)).not.toContain(value);
  });
});

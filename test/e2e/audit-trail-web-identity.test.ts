import { randomUUID } from 'node:crypto';
import {
  CreateLicenseCommand,
  CreateTokenCommand,
  GetAccessTokenCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { HIDDEN_DUE_TO_SECURITY_REASONS, type AuditRecord } from '@lm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager } from '../support/clients';
import { accounts, startSystem, type RunningSystem } from '../support/system';
import { assumeRoleWithWebIdentity, type StsAnswer } from '../support/web-identity';

/** The seller issues the licence and its refresh tokens, and owns the role the token names. */
const seller = accounts.management;
/** Exchanges the refresh token for an access token (any signed caller may). */
const customer = accounts.outsider;
const ROLE = `arn:aws:iam::${seller.accountId}:role/AWSLicenseManagerConsumptionRole`;
const SESSION = 'audited-customer';

type Account = typeof seller;

/** `aws cloudtrail lookup-events` as an account, for one lookup attribute. */
async function lookup(system: RunningSystem, account: Account, key: string, value: string): Promise<any[]> {
  const result = await awsCli(system, account, [
    'cloudtrail',
    'lookup-events',
    '--no-paginate',
    '--lookup-attributes',
    `AttributeKey=${key},AttributeValue=${value}`,
  ]);
  expect(result.exitCode, result.stderr).toBe(0);
  return result.json.Events;
}

/** Records reach reporting through JetStream: the account's events once there is one. */
async function onceStored(system: RunningSystem, account: Account, key: string, value: string): Promise<any[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const events = await lookup(system, account, key, value);
    if (events.length > 0 || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("audit trail of the unsigned STS AssumeRoleWithWebIdentity: in the role's account, as a WebIdentityUser", () => {
  let system: RunningSystem;
  let licenseArn: string;
  let accessToken: string;
  let assumed: StsAnswer;

  beforeAll(async () => {
    system = await startSystem();
    const sellerClient: LicenseManagerClient = licenseManager(system, seller);
    const now = Date.now();
    ({ LicenseArn: licenseArn } = (await sellerClient.send(
      new CreateLicenseCommand({
        LicenseName: 'Audited Pro',
        ProductName: 'Audited',
        ProductSKU: 'audited-pro',
        // No SignKey: the seller's managed key signs it.
        Issuer: { Name: 'Example ISV' },
        HomeRegion: system.region,
        Validity: { Begin: new Date(now - 86_400_000).toISOString() },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }],
        Beneficiary: 'customer-without-account',
        ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    )) as { LicenseArn: string });
    const { Token } = await sellerClient.send(
      new CreateTokenCommand({ LicenseArn: licenseArn, RoleArns: [ROLE], ClientToken: randomUUID() }),
    );
    ({ AccessToken: accessToken } = (await licenseManager(system, customer).send(
      new GetAccessTokenCommand({ Token }),
    )) as { AccessToken: string });
    assumed = await assumeRoleWithWebIdentity(system, { accessToken, roleArn: ROLE, sessionName: SESSION });
    expect(assumed.error).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
  });

  it("is found by the role's account with LookupEvents (AWS CLI), recorded as CloudTrail records web identity calls", async () => {
    const events = await onceStored(system, seller, 'EventName', 'AssumeRoleWithWebIdentity');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ EventName: 'AssumeRoleWithWebIdentity', EventSource: 'sts.amazonaws.com' });
    expect(event.ReadOnly).toBe('false');
    // Unsigned: no access key made the call.
    expect(event).not.toHaveProperty('AccessKeyId');
    expect(event.Resources).toEqual(expect.arrayContaining([{ ResourceType: 'AWS::IAM::Role', ResourceName: ROLE }]));

    const record: AuditRecord = JSON.parse(event.CloudTrailEvent);
    // As CloudTrail writes a web identity: provider, audience and subject, and no account (the recipient is the role's).
    expect(record.userIdentity).toEqual({
      type: 'WebIdentityUser',
      principalId: `${assumed.provider}:${assumed.audience}:${assumed.subject}`,
      userName: assumed.subject,
      identityProvider: assumed.provider,
    });
    expect(record).toMatchObject({
      eventVersion: '1.08',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      awsRegion: system.region,
      userAgent: expect.stringMatching(/Boto3\//),
      requestParameters: {
        roleArn: ROLE,
        roleSessionName: SESSION,
        webIdentityToken: HIDDEN_DUE_TO_SECURITY_REASONS,
      },
      responseElements: {
        credentials: {
          accessKeyId: assumed.credentials!.AccessKeyId,
          secretAccessKey: HIDDEN_DUE_TO_SECURITY_REASONS,
          sessionToken: HIDDEN_DUE_TO_SECURITY_REASONS,
        },
        assumedRoleUser: {
          arn: `arn:aws:sts::${seller.accountId}:assumed-role/AWSLicenseManagerConsumptionRole/${SESSION}`,
        },
      },
      eventType: 'AwsApiCall',
      recipientAccountId: seller.accountId,
    });
    expect(record).not.toHaveProperty('errorCode');
    // The web identity is no key of the account: the record names none.
    expect(record.userIdentity).not.toHaveProperty('accessKeyId');
    expect(event.Username).toBe(assumed.subject);
    // Neither the access token nor the credentials' secrets are anywhere in what LookupEvents answers.
    const answered = JSON.stringify(events);
    for (const secret of [accessToken, assumed.credentials!.SecretAccessKey, assumed.credentials!.SessionToken]) {
      expect(answered).not.toContain(secret);
    }

    // Also found by the role it assumed, and by the web identity's user name (its subject).
    const byRole = await lookup(system, seller, 'ResourceName', ROLE);
    expect(byRole.map((e) => e.EventId)).toContain(event.EventId);
    const byUsername = await lookup(system, seller, 'Username', assumed.subject!);
    expect(byUsername.map((e) => e.EventId)).toEqual([event.EventId]);
  }, 120_000);

  it("is in no other account's trail: not the customer's that exchanged the token, not a member's", async () => {
    const [event] = await onceStored(system, seller, 'EventName', 'AssumeRoleWithWebIdentity');
    // The customer's own signed call before it is in the customer's trail...
    expect(await onceStored(system, customer, 'EventName', 'GetAccessToken')).toHaveLength(1);
    for (const other of [customer, accounts.member]) {
      // ...but not the web identity call, by name, by its id or by the web identity's user name.
      expect(await lookup(system, other, 'EventName', 'AssumeRoleWithWebIdentity')).toEqual([]);
      expect(await lookup(system, other, 'EventId', event.EventId)).toEqual([]);
      expect(await lookup(system, other, 'Username', JSON.parse(event.CloudTrailEvent).userIdentity.userName)).toEqual(
        [],
      );
    }
  }, 120_000);
});
